import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { DomainError, forbidden, tooManyRequests } from "../platform/errors.ts";
import { RegistrationSchema } from "../modules/accounts/account.schemas.ts";
import type { RegistrationRefusal } from "../modules/accounts/index.ts";
import { AccountJson, toAccountJson } from "./account-json.ts";
import { type ApiOperation, error } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";
import { clientAddress } from "../http/client-address.ts";

/** Registration: `POST /api/v1/accounts`, following the registration mode of the node's charter. */
export function createAccountsApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.post("/accounts", async (c) => {
    const input = await readJson(c, RegistrationSchema);
    const mode = await deps.services.charter.registrationMode();
    const result = await deps.services.accounts.register(mode, input, clientAddress(c, deps.config.trustProxy));
    if (!result.ok) {
      if (result.retryAfterSeconds !== undefined) c.header("Retry-After", String(result.retryAfterSeconds));
      throw refusalToDomainError(result);
    }
    return c.json(toAccountJson(deps.config, result.profile), 201);
  });

  return api;
}

/** A refused registration as the API's error: the field it concerns is named in `issues`. */
export function refusalToDomainError(refusal: RegistrationRefusal): DomainError {
  if (refusal.kind === "rate_limited") return tooManyRequests(refusal.message);
  if (refusal.field === null) return refusal.kind === "forbidden" ? forbidden(refusal.message) : new DomainError(refusal.kind, "refused", refusal.message);
  return new DomainError(refusal.kind, refusal.kind, `${refusal.field}: ${refusal.message}`, [{ path: refusal.field, message: refusal.message }]);
}

export const accountsOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/accounts",
    operationId: "registerAccount",
    tags: ["accounts"],
    summary: "Register a member account",
    description:
      "Follows the node's registration mode: `open` creates an active account, `approval` a pending one that an admin " +
      "approves, `invite` needs an unused `inviteCode` from an admin, `closed` refuses with 403. " +
      "`username` becomes the handle, unique among the node's members and projects.",
    body: { schema: RegistrationSchema },
    responses: {
      201: { description: "The account was created (status `pending` until an admin approves it in approval mode)", schema: AccountJson },
      403: error("Registration is closed, or the invite code is unknown, used or expired"),
      409: error("The handle is taken"),
      422: error("A field is invalid; `issues` names it"),
    },
  },
];
