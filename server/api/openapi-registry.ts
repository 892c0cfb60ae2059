import { z } from "zod";

/**
 * Each API resource file describes its routes as `ApiOperation`s next to the handlers, with the
 * same zod schemas the handlers validate with; server/api/openapi.ts turns them into
 * /api/openapi.json. Response shapes that are API resources (Project, Update, Account…) carry
 * `.meta({ id })` and become `components/schemas` entries.
 */
export interface ApiOperation {
  readonly method: "get" | "post" | "put" | "patch" | "delete";
  /** The OpenAPI path under /api, with `{name}` path parameters: `/v1/projects/{handle}`. */
  readonly path: string;
  /** Unique across the API; client generators name their methods after it. */
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  /** Needs `Authorization: Bearer <token>`. */
  readonly auth?: boolean;
  readonly deprecated?: boolean;
  /** One property per path parameter, in path order. */
  readonly pathParams?: z.ZodObject;
  /** Query parameters: the schema the handler parses `c.req.query()` with. */
  readonly query?: z.ZodType;
  /** Descriptions of parameters the schema does not describe itself. */
  readonly paramDescriptions?: Readonly<Record<string, string>>;
  readonly body?: ApiBody;
  readonly responses: Readonly<Record<number, ApiResponse>>;
}

export interface ApiBody {
  readonly schema: z.ZodType;
  /** application/json unless said otherwise. */
  readonly contentType?: "application/json" | "multipart/form-data";
  readonly required?: boolean;
  readonly description?: string;
  /** The body form of an operation that moved to query parameters (a DELETE with a body). */
  readonly deprecated?: boolean;
}

export interface ApiResponse {
  readonly description: string;
  /** The JSON body; none for 204 and for answers without a body. */
  readonly schema?: z.ZodType;
}

/** The body of every 4xx and 5xx answer of the API (server/app/app.ts maps errors to it). */
export const ErrorJson = z
  .object({
    error: z.string().meta({ description: "A machine-readable code: `invalid_input`, `not_found`, `conflict`…" }),
    message: z.string().meta({ description: "What was wrong, for people" }),
    issues: z
      .array(z.object({ path: z.string().meta({ description: "The field, dot-separated" }), message: z.string() }))
      .optional()
      .meta({ description: "One entry per invalid field" }),
  })
  .meta({ id: "Error" });

/** A documented error answer. */
export function error(description: string): ApiResponse {
  return { description, schema: ErrorJson };
}

/** An ISO 8601 timestamp in UTC, as `Date#toISOString` writes it. */
export const Timestamp = z.iso.datetime();

/** An absolute URL (an actor's id, a page); not re-validated, only documented as one. */
export const Url = z.string().meta({ format: "uri" });

/** A list answer: `{ items: [...] }`. */
export function itemsOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/**
 * What a `to…Json` function returns: the documented response shape (read-only, so domain objects'
 * read-only lists fit). Typing the function with it makes the compiler refuse an undocumented field.
 */
export type JsonOf<S extends z.ZodType> = DeepReadonly<z.output<S>>;
type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
