import type { Context } from "hono";
import type { z } from "zod";
import { readJson } from "../http/read-json.ts";
import { invalidInput } from "../platform/errors.ts";

/**
 * What a DELETE removes, from its query string: content in a DELETE request "has no generally
 * defined semantics" (RFC 9110 §9.3.5) and some clients and proxies drop it. Clients written
 * before still send a JSON body; it is read when there is one (deprecated in the OpenAPI document).
 */
export async function readDeleteInput<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  if (hasBody(c)) return readJson(c, schema);
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** Some clients send a Content-Type on every request; only content makes it the body form. */
function hasBody(c: Context): boolean {
  const length = c.req.header("content-length");
  return c.req.header("transfer-encoding") !== undefined || (length !== undefined && length !== "0");
}
