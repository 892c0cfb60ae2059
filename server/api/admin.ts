import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireAdmin, type Viewer } from "../http/viewer.ts";
import { conflict, invalidInput, notFound } from "../platform/errors.ts";
import { AccountStatusFilterSchema, InviteRequestSchema } from "../modules/accounts/account.schemas.ts";
import { ProfileJson, toProfileJson } from "./account-json.ts";
import { DeliveryHealthJson, toDeliveryHostJson, toDeliveryRejectionJson } from "./delivery-health-json.ts";
import { type ApiOperation, error, itemsOf, type JsonOf, Timestamp } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

const AccountIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const RECENT_REJECTIONS = 50;

/** Outcomes of approve, suspend and reinstate that the API answers with 409. */
const ACCOUNT_ACTION_REFUSALS: Partial<Record<string, string>> = {
  disabled: "This account is disabled; it cannot be approved.",
  self: "Admins cannot suspend their own account.",
  already_suspended: "This account is already suspended.",
  not_suspended: "This account is not suspended.",
};

/** The node's admins: pending accounts, approval, suspension, invite codes, delivery health. */
export function createAdminApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { accounts } = deps.services;

  api.get("/admin/accounts", async (c) => {
    requireAdmin(c);
    const query = AccountStatusFilterSchema.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error);
    const profiles = await accounts.profilesWithStatus(query.data.status);
    return c.json({ items: profiles.map((p) => toProfileJson(deps.config, p)) });
  });

  /** Runs an admin's action on an account and answers with the account, or 404/409 for what it refused. */
  const onAccount = (act: (id: number, admin: Viewer) => Promise<string>) => async (c: Context<AppEnv>) => {
    const admin = requireAdmin(c);
    const id = AccountIdSchema.safeParse(c.req.param("id"));
    const result = id.success ? await act(id.data, admin) : "not_found";
    if (result === "not_found") throw notFound("There is no such account.");
    const refusal = ACCOUNT_ACTION_REFUSALS[result];
    if (refusal !== undefined) throw conflict(refusal);
    return c.json(toProfileJson(deps.config, (await accounts.profile(id.data!))!));
  };
  api.post("/admin/accounts/:id/approve", onAccount((id, admin) => accounts.approve(id, admin.handle)));
  api.post("/admin/accounts/:id/suspend", onAccount((id, admin) => accounts.suspend(id, admin)));
  api.post("/admin/accounts/:id/reinstate", onAccount((id, admin) => accounts.reinstate(id, admin)));

  api.get("/admin/delivery-health", async (c) => {
    requireAdmin(c);
    const { hosts, rejections } = await deps.services.deliveryHealth.report(RECENT_REJECTIONS);
    return c.json({ hosts: hosts.map(toDeliveryHostJson), rejections: rejections.map(toDeliveryRejectionJson) });
  });

  api.post("/admin/invites", async (c) => {
    const admin = requireAdmin(c);
    const hasBody = c.req.header("content-type") !== undefined || (c.req.header("content-length") ?? "0") !== "0";
    const input = hasBody ? await readJson(c, InviteRequestSchema) : InviteRequestSchema.parse({});
    const invite = await accounts.invite(admin.id, input.expiresInDays);
    c.header("Cache-Control", "no-store");
    const json: JsonOf<typeof InviteJson> = { code: invite.code, expiresAt: invite.expiresAt.toISOString() };
    return c.json(json, 201);
  });

  return api;
}

const InviteJson = z.object({ code: z.string(), expiresAt: Timestamp }).meta({ id: "Invite" });
const TAG = ["admin"];

export const adminOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/admin/accounts",
    operationId: "listAccountsByStatus",
    tags: TAG,
    summary: "List accounts by status (admins)",
    auth: true,
    query: AccountStatusFilterSchema,
    responses: { 200: { description: "The accounts, oldest first", schema: itemsOf(ProfileJson) }, 401: error("Not signed in"), 403: error("Not an admin") },
  },
  {
    method: "post",
    path: "/v1/admin/accounts/{id}/approve",
    operationId: "approveAccount",
    tags: TAG,
    summary: "Approve a pending account (admins)",
    auth: true,
    pathParams: z.object({ id: AccountIdSchema }),
    responses: {
      200: { description: "The account, now active", schema: ProfileJson },
      403: error("Not an admin"),
      404: error("No such account"),
      409: error("The account is disabled"),
    },
  },
  {
    method: "post",
    path: "/v1/admin/invites",
    operationId: "createInvite",
    tags: TAG,
    summary: "Create a single-use invite code (admins)",
    description: "The code is shown once; the node stores only its hash. It lets one person register when the node registers by invitation.",
    auth: true,
    body: { schema: InviteRequestSchema, required: false },
    responses: { 201: { description: "The invite", schema: InviteJson }, 403: error("Not an admin") },
  },
  {
    method: "post",
    path: "/v1/admin/accounts/{id}/suspend",
    operationId: "suspendAccount",
    tags: TAG,
    summary: "Suspend an account (admins)",
    description: "The account can no longer sign in; its sessions and API tokens are deleted, so none of them works again if it is reinstated.",
    auth: true,
    pathParams: z.object({ id: AccountIdSchema }),
    responses: {
      200: { description: "The account, now disabled", schema: ProfileJson },
      403: error("Not an admin"),
      404: error("No such account"),
      409: error("The account is already suspended, or is the admin's own"),
    },
  },
  {
    method: "post",
    path: "/v1/admin/accounts/{id}/reinstate",
    operationId: "reinstateAccount",
    tags: TAG,
    summary: "Lift an account's suspension (admins)",
    description: "The account becomes active again; the member signs in anew with their password.",
    auth: true,
    pathParams: z.object({ id: AccountIdSchema }),
    responses: {
      200: { description: "The account, now active", schema: ProfileJson },
      403: error("Not an admin"),
      404: error("No such account"),
      409: error("The account is not suspended"),
    },
  },
  {
    method: "get",
    path: "/v1/admin/delivery-health",
    operationId: "getDeliveryHealth",
    tags: TAG,
    summary: "Delivery health per remote host (admins)",
    description: "Per host: last success, failures in a row and in all, the last failure's status, whether deliveries are held; and the latest deliveries refused for good.",
    auth: true,
    responses: { 200: { description: "Hosts and recent permanent refusals", schema: DeliveryHealthJson }, 401: error("Not signed in"), 403: error("Not an admin") },
  },
];
