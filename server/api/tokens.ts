import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { clientAddress } from "../http/client-address.ts";
import { requireViewer } from "../http/viewer.ts";
import { DomainError, forbidden, notFound, tooManyRequests, unauthorized } from "../platform/errors.ts";
import { LoginSchema } from "../modules/accounts/account.schemas.ts";
import { INVALID_CREDENTIALS_MESSAGE, type LoginResult } from "../modules/accounts/index.ts";
import { type ApiOperation, error, itemsOf, type JsonOf, Timestamp } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

const TokenIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** API tokens: created with a member's password, listed and revoked by their owner. Only hashes are stored. */
export function createTokensApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { accounts } = deps.services;

  api.post("/tokens", async (c) => {
    const input = await readJson(c, LoginSchema);
    const result = await accounts.signIn(input, clientAddress(c, deps.config.trustProxy));
    if (!result.ok) {
      if (result.reason === "rate_limited") c.header("Retry-After", String(result.retryAfterSeconds));
      throw loginFailure(result);
    }
    const token = await accounts.createToken(result.account.id, input.name ?? "API token");
    c.header("Cache-Control", "no-store");
    const json: JsonOf<typeof NewTokenJson> = { id: token.id, token: token.token };
    return c.json(json, 201);
  });

  api.get("/tokens", async (c) => {
    const viewer = requireViewer(c);
    const tokens = await accounts.tokens(viewer.id);
    const items = tokens.map((t): JsonOf<typeof TokenJson> => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null }));
    return c.json({ items });
  });

  api.delete("/tokens/:id", async (c) => {
    const viewer = requireViewer(c);
    const id = TokenIdSchema.safeParse(c.req.param("id"));
    if (!id.success || !(await accounts.revokeToken(viewer.id, id.data))) throw notFound("You have no such API token.");
    return c.body(null, 204);
  });

  return api;
}

/** A failed sign-in as the error the API and the web answer with; the Retry-After header is set by the caller. */
export function loginFailure(result: Exclude<LoginResult, { ok: true }>): DomainError {
  switch (result.reason) {
    case "invalid":
      return unauthorized(INVALID_CREDENTIALS_MESSAGE);
    case "rate_limited":
      return tooManyRequests(result.message);
    default:
      return forbidden(result.message);
  }
}

const NewTokenJson = z
  .object({ id: z.number().int(), token: z.string().meta({ description: "Send it as `Authorization: Bearer <token>`; it is shown only this once" }) })
  .meta({ id: "NewToken" });
const TokenJson = z.object({ id: z.number().int(), name: z.string(), createdAt: Timestamp, lastUsedAt: Timestamp.nullable() }).meta({ id: "Token" });
const TAG = ["tokens"];

export const tokensOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/tokens",
    operationId: "createToken",
    tags: TAG,
    summary: "Create an API token with a username and password",
    description:
      "Only active accounts get tokens. The token is shown once; the node keeps only its hash. `name` labels the token. Sign-in attempts are limited " +
      "per account (5 per 15 minutes) and per client address (20 per 15 minutes); beyond that the answer is 429 with Retry-After.",
    body: { schema: LoginSchema },
    responses: {
      201: { description: "The token, to send as `Authorization: Bearer <token>`", schema: NewTokenJson },
      401: error("Unknown username or wrong password (the same answer for both)"),
      403: error("The account is pending approval or disabled"),
      429: error("Too many attempts; see the Retry-After header"),
    },
  },
  {
    method: "get",
    path: "/v1/tokens",
    operationId: "listTokens",
    tags: TAG,
    summary: "List your API tokens",
    auth: true,
    responses: { 200: { description: "Your tokens that are not revoked", schema: itemsOf(TokenJson) }, 401: error("Not signed in") },
  },
  {
    method: "delete",
    path: "/v1/tokens/{id}",
    operationId: "revokeToken",
    tags: TAG,
    summary: "Revoke one of your API tokens",
    auth: true,
    pathParams: z.object({ id: TokenIdSchema }),
    responses: { 204: { description: "Revoked" }, 401: error("Not signed in"), 404: error("You have no such token") },
  },
];
