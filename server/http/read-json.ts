import type { Context } from "hono";
import type { z } from "zod";
import { DomainError, badRequest, invalidInput } from "../platform/errors.ts";
import { type JsonLimits, jsonBoundsViolation } from "../platform/json-bounds.ts";

/** API bodies are small; images travel as multipart with their own limit (server/api/media). */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/** No API input is more than a few levels deep or more than a few hundred fields. */
export const API_JSON_LIMITS: JsonLimits = { maxDepth: 16, maxMembers: 1_000, maxElements: 2_000, maxStringLength: 100_000 };

/**
 * Reads a JSON body and validates it with the input's zod schema: malformed JSON is a 400, a wrong
 * content type a 415, a body out of API_JSON_LIMITS or holding a NUL or lone surrogate a 400, a schema
 * failure a 422 naming each field.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new DomainError("unsupported_type", "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  }
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) {
    throw new DomainError("too_large", "payload_too_large", `The body is larger than ${MAX_JSON_BODY_BYTES} bytes.`);
  }
  let body: unknown;
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const violation = jsonBoundsViolation(body, API_JSON_LIMITS);
  if (violation !== null) throw badRequest(violation);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}
