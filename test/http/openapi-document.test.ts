import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PASSWORD_MIN_LENGTH } from "../../server/modules/accounts/account.schemas.ts";
import { FollowerListQuerySchema } from "../../server/modules/followers/follower.schema.ts";
import { TimelineQuerySchema } from "../../server/modules/following/following.schemas.ts";
import { UPDATE_CONTENT_MAX, UPDATE_IMAGES_MAX } from "../../server/modules/notes/update.schema.ts";
import { PROJECT_NAME_MAX, PROJECT_SUMMARY_MAX } from "../../server/modules/projects/project.schema.ts";
import { registerViaApi, tokenFor } from "../accounts/account-helpers.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { checkApiResponse, type OpenApiDocument } from "../helpers/openapi-conformance.ts";

type Operation = {
  operationId?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, any> }> };
  responses: Record<string, unknown>;
};
type Document = OpenApiDocument & { paths: Record<string, Record<string, Operation>> };

let node: TestNode;
let doc: Document;
let token: string;
before(async () => {
  node = await createTestNode({ REGISTRATION: "open" });
  doc = (await node.http.get("/api/openapi.json").expect(200)).body;
  await registerViaApi(node, "ada");
  token = await tokenFor(node, "ada");
});
after(async () => {
  await node.close();
});

const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
const jsonBody = (path: string, method: string) => doc.paths[path]![method]!.requestBody!.content["application/json"]!.schema;
const queryParam = (path: string, name: string) => doc.paths[path]!.get!.parameters!.find((p) => p.name === name)!.schema;

describe(`/api/openapi.json is generated from the routes' zod schemas (${ENGINE_LABEL})`, () => {
  test("every operation has its own operationId and a tag, and every $ref names a component", () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    assert.ok(ids.length >= 30, `${ids.length} operations`);
    assert.ok(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id)), "camelCase operationIds");
    assert.equal(new Set(ids).size, ids.length, "operationIds are unique");
    assert.ok(operations().every(({ operation }) => (operation.tags?.length ?? 0) > 0));
    for (const name of ["Project", "Update", "Account", "Profile", "Charter", "Peer", "DirectoryEntry", "Media", "Token", "Follow", "Follower", "TimelineItem", "Error"]) {
      assert.ok(doc.components.schemas[name], `components/schemas/${name}`);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length > 50);
    for (const ref of refs) assert.ok(doc.components.schemas[ref], `${ref} is a component`);
    assert.deepEqual(doc.paths["/v1/projects/{handle}"]!.get!.responses["200"], { description: "The project", content: { "application/json": { schema: { $ref: "#/components/schemas/Project" } } } });
  });

  test("every route of the JSON API is documented, and nothing else is", () => {
    const routed = new Set(
      node.app.routes
        .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL")
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/^\/api/, "").replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(operations().map(({ path, method }) => `${method} ${path}`));
    assert.deepEqual([...routed].filter((r) => !documented.has(r)), [], "routes without a description");
    assert.deepEqual([...documented].filter((d) => !routed.has(d)), [], "descriptions without a route");
  });

  test("the limits are those the handlers validate with", () => {
    const update = jsonBody("/v1/projects/{handle}/updates", "post");
    assert.equal(update.properties.content.maxLength, UPDATE_CONTENT_MAX);
    assert.equal(update.properties.images.maxItems, UPDATE_IMAGES_MAX);
    const project = jsonBody("/v1/projects", "post");
    assert.equal(project.properties.name.maxLength, PROJECT_NAME_MAX);
    assert.equal(project.properties.summary.maxLength, PROJECT_SUMMARY_MAX);
    assert.deepEqual(project.required, ["handle", "name"]);
    assert.equal(jsonBody("/v1/accounts", "post").properties.password.minLength, PASSWORD_MIN_LENGTH);

    // The documented bounds of query parameters are exactly where the schemas start refusing.
    for (const [path, name, schema] of [
      ["/v1/projects/{handle}/followers", "limit", FollowerListQuerySchema],
      ["/v1/timeline", "limit", TimelineQuerySchema],
    ] as const) {
      const { minimum, maximum } = queryParam(path, name) as { minimum: number; maximum: number };
      assert.equal(schema.safeParse({ [name]: String(maximum) }).success, true);
      assert.equal(schema.safeParse({ [name]: String(maximum + 1) }).success, false, `${path} ${name} above ${maximum}`);
      assert.equal(schema.safeParse({ [name]: String(minimum) }).success, true);
      assert.equal(schema.safeParse({ [name]: String(minimum - 1) }).success, false);
    }
  });

  test("no DELETE needs a body: where one is still read, it is optional and marked deprecated", () => {
    const deletes = operations().filter(({ method }) => method === "delete");
    assert.ok(deletes.length >= 6);
    for (const { path, operation } of deletes) {
      if (operation.requestBody === undefined) continue;
      assert.equal(operation.requestBody.required, false, path);
      assert.equal(operation.requestBody.content["application/json"]!.schema.deprecated, true, path);
    }
    const unfollow = doc.paths["/v1/follows"]!.delete!;
    assert.deepEqual(unfollow.parameters!.map((p) => [p.name, p.in]), [["target", "query"]]);
    const removeFollower = doc.paths["/v1/projects/{handle}/followers"]!.delete!;
    assert.deepEqual(removeFollower.parameters!.map((p) => [p.name, p.in]), [["handle", "path"], ["acct", "query"], ["iri", "query"]]);
    assert.equal(removeFollower.requestBody!.content["application/json"]!.schema.deprecated, true);
  });
});

describe(`answers are checked against the document (${ENGINE_LABEL})`, () => {
  let project: Record<string, any>;
  before(async () => {
    await node.http.post("/api/v1/projects").set("Authorization", `Bearer ${token}`).send({ handle: "tool-library", name: "Tool library", location: { latitude: 48.1, longitude: 11.5 } }).expect(201);
    project = (await node.http.get("/api/v1/projects/tool-library").expect(200)).body;
  });
  const check = (body: unknown, status = 200, path = "/api/v1/projects/tool-library") => checkApiResponse(doc, "GET", path, status, JSON.stringify(body));

  test("a real answer agrees with its documented schema", () => {
    assert.deepEqual(check(project), []);
  });

  test("an answer that grows an undocumented field disagrees, at the top or nested in a component", () => {
    assert.deepEqual(check({ ...project, secretNote: "x" }), ['$: has the undocumented field "secretNote"']);
    const nested = { ...project, maintainers: [{ ...project.maintainers[0], email: "ada@example.org" }] };
    assert.deepEqual(check(nested), ['$.maintainers[0]: has the undocumented field "email"']);
  });

  test("an answer that lacks a required field, or has one of the wrong type, disagrees", () => {
    const { handle: _handle, ...withoutHandle } = project;
    assert.deepEqual(check(withoutHandle), ['$: lacks the required field "handle"']);
    assert.match(check({ ...project, followersCount: "0" })[0]!, /^\$\.followersCount: "0" is not of type integer/);
    assert.match(check({ ...project, createdAt: "yesterday" })[0]!, /^\$\.createdAt: .*date-time/);
  });

  test("an error status a route does not list must still be the documented error; an undocumented success is a disagreement", () => {
    assert.deepEqual(check({ error: "bad_request", message: "The body is not valid JSON" }, 400), []);
    assert.deepEqual(check({ message: "no code" }, 400), ['$: lacks the required field "error"']);
    assert.match(check(project, 203)[0]!, /status 203 is not documented/);
    assert.match(check({}, 200, "/api/v1/nowhere")[0]!, /nor is the route/);
  });
});
