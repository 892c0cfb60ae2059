import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CSRF_COOKIE, CSRF_FIELD } from "../../server/http/csrf.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember } from "../inbox/helpers/inbox-env.ts";

let node: TestNode;
/** The session cookie (`name=value`) of maria, signed in through the login form. */
let session: string;
const CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuz";

before(async () => {
  node = await createInboxTestNode();
  await createMember(node, "maria");
  const login = await node.http.post("/login").set("Cookie", `${CSRF_COOKIE}=${CSRF}`).type("form").send(`${CSRF_FIELD}=${CSRF}&username=maria&password=correct+horse+battery`);
  session = ([] as string[]).concat(login.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).find((c) => c.split("=")[0]!.endsWith("session"))!;
  assert.ok(session, `signing in set no session cookie (${login.status})`);
});
after(async () => await node.close());

describe(`an API call with a session cookie and a form body, on ${ENGINE_LABEL}`, () => {
  test("a malformed multipart body is a 400 saying so, not a 500 from the CSRF check reading it", async () => {
    for (const contentType of ["multipart/form-data; boundary=nothing", "multipart/form-data"]) {
      const res = await node.http
        .post("/api/v1/follows")
        .set("Cookie", session)
        .set("Content-Type", contentType)
        .send('{"target":"alice@example.org"}');
      assert.equal(res.status, 400, `${contentType}: ${res.text.slice(0, 200)}`);
      assert.match(res.body.message, /form body is malformed/);
    }
  });

  test("a well-formed form without the token is still refused as cross-site", async () => {
    const res = await node.http.post("/api/v1/follows").set("Cookie", session).type("form").send("target=alice%40example.org");
    assert.equal(res.status, 403, res.text.slice(0, 200));
  });
});
