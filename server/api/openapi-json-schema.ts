import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

const COMPONENTS = "#/components/schemas/";

/**
 * zod → JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1, section 4.8.24), with zod 4's own
 * `z.toJSONSchema`. Schemas that carry `.meta({ id })` are components; everything else is inlined.
 * Requests are described as the client writes them (`io: "input"`: defaults optional, the input
 * side of transforms), responses as the server writes them (`io: "output"`: strict objects).
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const id = idOf(schema);
  if (id !== undefined) return { $ref: COMPONENTS + id };
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", override: tidy, metadata: z.globalRegistry }) as JsonSchema;
  delete json.$schema;
  // Schemas with an id land in $defs; they are the document's components instead.
  delete json.$defs;
  return rewriteRefs(json) as JsonSchema;
}

/** Every schema with `.meta({ id })`, as `components/schemas`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: "output", unrepresentable: "any", override: tidy, uri: (id) => COMPONENTS + id });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

function idOf(schema: z.ZodType): string | undefined {
  const meta = z.globalRegistry.get(schema);
  return typeof meta?.id === "string" ? meta.id : undefined;
}

/**
 * zod writes the bounds of a safe integer on every `.int()` and a long pattern beside
 * `format: date-time`; both say nothing a reader or a generator needs.
 */
function tidy(ctx: { jsonSchema: JsonSchema }): void {
  const json = ctx.jsonSchema;
  if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
  if (json.format === "date-time") delete json.pattern;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, COMPONENTS) : rewriteRefs(v)]),
  );
}
