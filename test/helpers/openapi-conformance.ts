import { checkJsonSchema, type JsonSchema } from "./json-schema-check.ts";

/** The parts of /api/openapi.json the check reads. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>>;
  readonly components: { readonly schemas: Record<string, JsonSchema> };
}

const ERROR_REF = { $ref: "#/components/schemas/Error" };

/**
 * Whether an answer of the JSON API is what /api/openapi.json documents for its route and status:
 * its body matches the response schema (no undocumented field, no required one missing). An error
 * status a route does not list must still carry the documented error body; an undocumented success
 * status or route, or any 5xx, is a disagreement.
 */
export function checkApiResponse(doc: OpenApiDocument, method: string, pathname: string, status: number, body: string): string[] {
  if (status >= 500) return [`a server error: ${body.slice(0, 200)}`];
  const operation = findOperation(doc, method.toLowerCase(), pathname.replace(/^\/api/, ""));
  const response = operation?.responses[String(status)];
  if (response === undefined) {
    return status >= 400 ? checkBody(doc, body, ERROR_REF) : [`status ${status} is not documented for this route${operation ? "" : " (nor is the route)"}`];
  }
  const schema = response.content?.["application/json"]?.schema;
  if (schema === undefined) return body.length === 0 ? [] : [`a body the document does not describe: ${body.slice(0, 200)}`];
  return checkBody(doc, body, schema);
}

function checkBody(doc: OpenApiDocument, body: string, schema: JsonSchema): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [`not JSON: ${body.slice(0, 200)}`];
  }
  return checkJsonSchema(value, schema, doc.components.schemas);
}

/** The documented operation of a concrete path: `/v1/projects/abc` → `/v1/projects/{handle}`; literal segments win over parameters. */
function findOperation(doc: OpenApiDocument, method: string, pathname: string) {
  const segments = pathname.split("/");
  let best: { score: number; operation: OpenApiDocument["paths"][string][string] } | undefined;
  for (const [template, item] of Object.entries(doc.paths)) {
    const parts = template.split("/");
    if (parts.length !== segments.length || item[method] === undefined) continue;
    let score = 0;
    const matches = parts.every((part, i) => {
      if (/^\{[^}]+\}$/.test(part)) return segments[i] !== "";
      score++;
      return part === segments[i];
    });
    if (matches && (best === undefined || score > best.score)) best = { score, operation: item[method] };
  }
  return best?.operation;
}

// `rest` carries the bindings @hono/node-server passes (the Node request and response) through untouched.
type Fetch = (request: Request, ...rest: any[]) => Response | Promise<Response>;

/**
 * Wraps an app's fetch so every answer under /api/v1 is checked against the node's own
 * /api/openapi.json; the disagreements are kept for the test node to report when it closes.
 */
export function recordApiConformance(fetch: Fetch): { fetch: Fetch; readonly violations: string[] } {
  const violations: string[] = [];
  let doc: Promise<OpenApiDocument> | undefined;
  const checked: Fetch = async (request, ...rest) => {
    const { method, url } = request;
    const response = await fetch(request, ...rest);
    const { pathname, origin } = new URL(url);
    if (!pathname.startsWith("/api/v1/") || method === "HEAD" || method === "OPTIONS") return response;
    doc ??= Promise.resolve(fetch(new Request(new URL("/api/openapi.json", origin)))).then((r) => r.json() as Promise<OpenApiDocument>);
    const body = await response.clone().text();
    for (const problem of checkApiResponse(await doc, method, pathname, response.status, body)) {
      violations.push(`${method} ${pathname} → ${response.status}: ${problem}`);
    }
    return response;
  };
  return { fetch: checked, violations };
}
