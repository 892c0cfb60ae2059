/**
 * Each API resource file exports its OpenAPI path items; server/api/openapi.ts assembles them into
 * /api/openapi.json, so the document lives next to the handlers it describes.
 */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

/** A JSON request body described by a JSON Schema (kept small and hand-written, not generated). */
export function jsonBody(schema: Record<string, unknown>, required = true): Record<string, unknown> {
  return { required, content: { "application/json": { schema } } };
}

export function jsonResponse(description: string, schema?: Record<string, unknown>): Record<string, unknown> {
  return schema ? { description, content: { "application/json": { schema } } } : { description };
}

/** The error body every 4xx carries. */
export const ERROR_SCHEMA = {
  type: "object",
  required: ["error", "message"],
  properties: {
    error: { type: "string" },
    message: { type: "string" },
    issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
  },
} as const;

export const BEARER = [{ bearerAuth: [] }];
