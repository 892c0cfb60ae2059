import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createSession } from "../../server/modules/accounts/credential.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember } from "../inbox/helpers/inbox-env.ts";

let node: TestNode;
let session: string;

before(async () => {
  node = await createInboxTestNode();
  const maria = await createMember(node, "maria");
  session = await createSession(node.database.db, maria.accountId);
});
after(async () => await node.close());

describe(`an API call with a session cookie and a form body, on ${ENGINE_LABEL}`, () => {
  test("a malformed multipart body is a 400 saying so, not a 500 from the CSRF check reading it", async () => {
    for (const contentType of ["multipart/form-data; boundary=nothing", "multipart/form-data"]) {
      const res = await node.http
        .post("/api/v1/follows")
        .set("Cookie", `cn_session=${session}`)
        .set("Content-Type", contentType)
        .send('{"target":"alice@example.org"}');
      assert.equal(res.status, 400, `${contentType}: ${res.text.slice(0, 200)}`);
      assert.match(res.body.message, /form body is malformed/);
    }
  });

  test("a well-formed form without the token is still refused as cross-site", async () => {
    const res = await node.http.post("/api/v1/follows").set("Cookie", `cn_session=${session}`).type("form").send("target=alice%40example.org");
    assert.equal(res.status, 403, res.text.slice(0, 200));
  });
});
