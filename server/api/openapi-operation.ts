import type { z } from "zod";
import { type JsonSchema, toJsonSchema } from "./openapi-json-schema.ts";
import type { ApiOperation } from "./openapi-registry.ts";

const BEARER = [{ bearerAuth: [] }];

/** One route as an OpenAPI 3.1 Operation Object (section 4.8.10). */
export function toOperationObject(operation: ApiOperation): Record<string, unknown> {
  const { body } = operation;
  const parameters = [
    ...parametersOf(operation.pathParams, "path", operation.paramDescriptions),
    // While a deprecated body can still name the target instead, the query parameters are optional.
    ...parametersOf(operation.query, "query", operation.paramDescriptions, body?.deprecated === true),
  ];
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description !== undefined && { description: operation.description }),
    tags: [...operation.tags],
    ...(operation.deprecated && { deprecated: true }),
    ...(operation.auth && { security: BEARER }),
    ...(parameters.length > 0 && { parameters }),
    ...(body !== undefined && {
      requestBody: {
        required: body.required ?? true,
        ...(body.description !== undefined && { description: body.description }),
        content: { [body.contentType ?? "application/json"]: { schema: requestSchema(body.schema, body.deprecated === true) } },
      },
    }),
    responses: Object.fromEntries(
      Object.entries(operation.responses).map(([status, response]) => [
        status,
        response.schema === undefined
          ? { description: response.description }
          : { description: response.description, content: { "application/json": { schema: toJsonSchema(response.schema, "output") } } },
      ]),
    ),
  };
}

/** A request body as the client writes it; a body kept for old clients says so (JSON Schema's `deprecated`). */
function requestSchema(schema: z.ZodType, deprecated: boolean): JsonSchema {
  const json = toJsonSchema(schema, "input");
  return deprecated ? { ...json, deprecated: true } : json;
}

/** Path or query parameters from the properties of the object schema the handler parses them with. */
function parametersOf(
  schema: z.ZodType | undefined,
  where: "path" | "query",
  descriptions: Readonly<Record<string, string>> = {},
  optional = false,
): Record<string, unknown>[] {
  if (schema === undefined) return [];
  const json = toJsonSchema(schema, "input");
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description = descriptions[name], ...rest } = property as JsonSchema & { description?: string };
    return {
      name,
      in: where,
      required: where === "path" || (!optional && required.has(name)),
      ...(description !== undefined && { description }),
      schema: rest,
    };
  });
}
