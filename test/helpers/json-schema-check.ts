/**
 * A JSON Schema (draft 2020-12) checker for the subset zod's `z.toJSONSchema` writes into our
 * OpenAPI document: `$ref` to components, anyOf/oneOf, type, enum/const, object properties with
 * `required` and `additionalProperties`, array items, string/number/array bounds, and the formats
 * date-time, uri and uuid. It returns one message per disagreement, with the JSON path.
 */
export type JsonSchema = Record<string, unknown>;

export function checkJsonSchema(value: unknown, schema: JsonSchema, components: Record<string, JsonSchema>, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const id = schema.$ref.replace("#/components/schemas/", "");
    const target = components[id];
    return target === undefined ? [`${at}: unknown $ref ${schema.$ref}`] : checkJsonSchema(value, target, components, at);
  }
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[];
    const results = options.map((option) => checkJsonSchema(value, option, components, at));
    const matching = results.filter((errors) => errors.length === 0).length;
    if (matching === 0) return [`${at}: matches none of ${options.length} alternatives (${results.map((r) => r[0]).join("; ")})`];
    if (schema.oneOf !== undefined && matching > 1) return [`${at}: matches ${matching} of the oneOf alternatives`];
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  }
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) return [`${at}: must be ${JSON.stringify(schema.const)}`];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => hasType(value, type))) return [`${at}: ${JSON.stringify(value)?.slice(0, 80)} is not of type ${types.join(" or ")}`];
  }
  if (typeof value === "string") return checkString(value, schema, at);
  if (typeof value === "number") return checkNumber(value, schema, at);
  if (Array.isArray(value)) return checkArray(value, schema, components, at);
  if (value !== null && typeof value === "object") return checkObject(value as Record<string, unknown>, schema, components, at);
  return [];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

const FORMATS: Record<string, (value: string) => boolean> = {
  "date-time": (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)),
  uri: (v) => URL.canParse(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

function checkString(value: string, schema: JsonSchema, at: string): string[] {
  const errors: string[] = [];
  if (typeof schema.minLength === "number" && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
  if (typeof schema.maxLength === "number" && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
  const format = FORMATS[schema.format as string];
  if (format !== undefined && !format(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a ${schema.format as string}`);
  return errors;
}

function checkNumber(value: number, schema: JsonSchema, at: string): string[] {
  const errors: string[] = [];
  if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
  if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) errors.push(`${at}: not above ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) errors.push(`${at}: not below ${schema.exclusiveMaximum}`);
  return errors;
}

function checkArray(value: unknown[], schema: JsonSchema, components: Record<string, JsonSchema>, at: string): string[] {
  const errors: string[] = [];
  if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
  const items = schema.items as JsonSchema | undefined;
  if (items !== undefined) value.forEach((item, i) => errors.push(...checkJsonSchema(item, items, components, `${at}[${i}]`)));
  return errors;
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema, components: Record<string, JsonSchema>, at: string): string[] {
  const errors: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value)) errors.push(`${at}: lacks the required field "${name}"`);
  }
  for (const [name, field] of Object.entries(value)) {
    const property = properties[name];
    if (property !== undefined) errors.push(...checkJsonSchema(field, property, components, `${at}.${name}`));
    else if (schema.additionalProperties === false) errors.push(`${at}: has the undocumented field "${name}"`);
    else if (typeof schema.additionalProperties === "object") {
      errors.push(...checkJsonSchema(field, schema.additionalProperties as JsonSchema, components, `${at}.${name}`));
    }
  }
  return errors;
}
