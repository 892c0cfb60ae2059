import type { MiddlewareHandler } from "hono";
import { badRequest } from "../platform/errors.ts";
import { textProblem } from "../platform/json-bounds.ts";
import { isStreamingUpload } from "./streaming-uploads.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Parses a page form once, before the CSRF check and the routes read it (Hono keeps the parsed
 * form for them): a malformed multipart body becomes a 400 instead of an exception in a handler,
 * and a field holding a NUL or a lone surrogate is refused before it can reach the database. The
 * JSON API reads its bodies with `readJson` and its uploads with their own capped reader.
 */
export function formGuard(): MiddlewareHandler {
  return async (c, next) => {
    // Streamed uploads are read part by part by their route, which checks each field the same way.
    if (!UNSAFE.has(c.req.method) || c.req.path.startsWith("/api/") || isStreamingUpload(c) || !isForm(c.req.header("content-type"))) return await next();
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw badRequest("The form body is malformed; send it again from the page.");
    }
    for (const [name, value] of form) {
      const problem = textProblem(name) ?? (typeof value === "string" ? textProblem(value) : textProblem(value.name));
      if (problem !== null) throw badRequest(`The form field ${JSON.stringify(name.slice(0, 40))} ${problem}.`);
    }
    await next();
  };
}

function isForm(type: string | undefined): boolean {
  const media = (type ?? "").split(";")[0]!.trim().toLowerCase();
  return media === "application/x-www-form-urlencoded" || media === "multipart/form-data";
}
