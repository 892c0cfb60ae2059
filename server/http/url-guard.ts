import type { MiddlewareHandler } from "hono";
import { textProblem } from "../platform/json-bounds.ts";

/**
 * Refuses, with 400, a URL whose path or query does not decode to text the node can store: a
 * percent-encoding that is not UTF-8 (`%ff`, an encoded surrogate) or a NUL (`%00`). Mounted before
 * every route, Fedify's included, so a handle, a search query or an id in a path never reaches
 * PostgreSQL, whose `text` refuses U+0000, as a 500.
 */
export function urlGuard(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const problem = encodedTextProblem(url.pathname) ?? encodedTextProblem(url.search.replaceAll("+", " "));
    if (problem === null) return await next();
    const message = `The address ${problem}.`;
    if (c.req.path.startsWith("/api/")) return c.json({ error: "bad_request", message }, 400);
    return c.text(message, 400);
  };
}

function encodedTextProblem(encoded: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return "contains a percent-encoding that is not UTF-8";
  }
  return textProblem(decoded);
}
