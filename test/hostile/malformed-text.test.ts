import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, type LocalMember } from "../inbox/helpers/inbox-env.ts";

let node: TestNode;
let maria: LocalMember;

before(async () => {
  node = await createInboxTestNode();
  maria = await createMember(node, "maria");
});
after(async () => await node.close());

describe(`text the node cannot store is refused at the edge, on ${ENGINE_LABEL}`, () => {
  test("a NUL or a non-UTF-8 percent-encoding in a path or a query is a 400, for pages, the API and Fedify's routes", async () => {
    for (const path of ["/@ma%00ria", "/@%ed%a0%80", "/@maria%00/outbox", "/api/v1/directory?q=bike%00", "/api/v1/directory?q=%ff", "/directory?q=%00"]) {
      const res = await node.http.get(path).set("Accept", path.startsWith("/@") ? "application/activity+json" : "text/html");
      assert.equal(res.status, 400, `${path}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.text, /NUL|not UTF-8/, path);
    }
    // Ordinary percent-encoded text still works.
    assert.equal((await node.http.get("/api/v1/directory?q=caf%C3%A9").set("Accept", "application/json")).status, 200);
  });

  test("an API body with a NUL, a lone surrogate or 100 levels of nesting is a 400 naming the problem, and nothing is created", async () => {
    const cases = [
      ['{"handle":"nulproject","name":"Bike\\u0000Kitchen"}', /NUL/],
      ['{"handle":"surrogate","name":"Bike\\udc00Kitchen"}', /surrogate/],
      [`{"handle":"deep","name":"Deep","summary":${"[".repeat(100)}${"]".repeat(100)}}`, /nested deeper than 16/],
    ] as const;
    for (const [body, message] of cases) {
      const res = await node.http.post("/api/v1/projects").set("Authorization", `Bearer ${maria.token}`).set("Content-Type", "application/json").send(body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error, "bad_request");
      assert.match(res.body.message, message);
    }
    const projects = await node.http.get("/api/v1/projects").set("Accept", "application/json");
    assert.deepEqual(projects.body.items, []);
  });

  test("a malformed multipart body or a NUL in a form field on POST /login is a 400 page, not a 500", async () => {
    const malformed = await node.http
      .post("/login")
      .set("Content-Type", "multipart/form-data; boundary=xyz")
      .send("--xyz\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nmaria\r\n--wrong");
    assert.equal(malformed.status, 400, malformed.text.slice(0, 300));
    assert.match(malformed.text, /form body is malformed/);
    const nul = await node.http.post("/login").type("form").send("username=ma%00ria&password=x");
    assert.equal(nul.status, 400, nul.text.slice(0, 300));
    assert.match(nul.text, /NUL/);
  });
});
