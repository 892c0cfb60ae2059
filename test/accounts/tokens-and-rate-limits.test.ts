import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { hashToken } from "../../server/modules/accounts/secret-token.ts";
import { LOGIN_LIMITS } from "../../server/modules/accounts/login.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { openForm, PASSWORD, registerViaApi, tokenFor } from "./account-helpers.ts";

let node: TestNode;
before(async () => {
  node = await createTestNode({ REGISTRATION: "open" });
  await registerViaApi(node, "alice");
  await registerViaApi(node, "bob");
});
after(async () => {
  await node.close();
});
// Every request here comes from 127.0.0.1: each test starts with fresh login windows.
beforeEach(async () => {
  await node.deps.db.deleteFrom("rate_limits").execute();
});

describe(`API tokens (${ENGINE_LABEL})`, () => {
  test("are stored only as SHA-256 hashes", async () => {
    const res = await node.http.post("/api/v1/tokens").send({ username: "alice", password: PASSWORD, name: "laptop" }).expect(201);
    assert.match(res.body.token, /^cn_[A-Za-z0-9_-]{43}$/);
    assert.match(String(res.headers["cache-control"]), /no-store/);
    const rows = await node.deps.db.selectFrom("api_tokens").selectAll().execute();
    const row = rows.find((r) => r.id === res.body.id);
    assert.equal(row?.token_hash, hashToken(res.body.token));
    assert.equal(row?.name, "laptop");
    const dump = JSON.stringify(await node.deps.db.selectFrom("api_tokens").selectAll().execute());
    assert.ok(!dump.includes(res.body.token.slice(3)), "no plaintext token in the table");
  });

  test("are listed to their owner, revoked by them only, and a revoked token is 401", async () => {
    const token = await tokenFor(node, "alice");
    const other = await tokenFor(node, "bob");
    const list = await node.http.get("/api/v1/tokens").set("Authorization", `Bearer ${token}`).expect(200);
    const mine = list.body.items.map((t: { id: number }) => t.id);
    assert.ok(mine.length >= 1);
    assert.ok(list.body.items.every((t: Record<string, unknown>) => !("token" in t) && typeof t.createdAt === "string"));
    const bobs = await node.http.get("/api/v1/tokens").set("Authorization", `Bearer ${other}`).expect(200);
    const bobId = bobs.body.items[0].id;
    assert.ok(!mine.includes(bobId));

    await node.http.delete(`/api/v1/tokens/${bobId}`).set("Authorization", `Bearer ${token}`).expect(404);
    await node.http.delete("/api/v1/tokens/not-a-number").set("Authorization", `Bearer ${token}`).expect(404);
    await node.http.get("/api/v1/me").set("Authorization", `Bearer ${other}`).expect(200);

    const current = list.body.items.at(-1).id;
    await node.http.delete(`/api/v1/tokens/${current}`).set("Authorization", `Bearer ${token}`).expect(204);
    const after = await node.http.get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(401);
    assert.match(after.body.message, /revoked/);
    await node.http.get("/api/v1/tokens").expect(401);
  });

  test("unknown users and wrong passwords get the same 401, in similar time", async () => {
    const time = async (username: string, password: string) => {
      const started = performance.now();
      const res = await node.http.post("/api/v1/tokens").send({ username, password }).expect(401);
      return { ms: performance.now() - started, body: res.body };
    };
    await time("nobody-here", "wrong password!"); // warm-up: the dummy hash is computed once
    const wrong = [await time("alice", "wrong password!"), await time("alice", "wrong password!")];
    const unknown = [await time("nobody-here", "wrong password!"), await time("nobody-here", "wrong password!")];
    assert.deepEqual(unknown[0]!.body, wrong[0]!.body);
    assert.equal(wrong[0]!.body.message, "The username or password is not right.");
    const median = (xs: { ms: number }[]) => xs.map((x) => x.ms).sort((a, b) => a - b)[0]!;
    // Both verify an Argon2id hash; an early return for unknown users would be several times faster.
    assert.ok(median(unknown) > median(wrong) * 0.4, `unknown ${median(unknown)} ms vs wrong ${median(wrong)} ms`);
  });
});

describe(`sign-in rate limits (${ENGINE_LABEL})`, () => {
  test(`answer 429 with Retry-After after ${LOGIN_LIMITS.perAccount} failures on one account, even for the right password`, async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      await node.http.post("/api/v1/tokens").send({ username: "alice", password: `guess number ${i}` }).expect(401);
    }
    const limited = await node.http.post("/api/v1/tokens").send({ username: "alice", password: PASSWORD }).expect(429);
    const retryAfter = Number(limited.headers["retry-after"]);
    assert.ok(retryAfter > 0 && retryAfter <= LOGIN_LIMITS.windowSeconds, `Retry-After ${limited.headers["retry-after"]}`);
    assert.match(limited.body.message, /Too many sign-in attempts/);
    // The same account through the web form is limited too, with '@' or capitals.
    const form = await openForm(node, "/login");
    const web = await node.http.post("/login").type("form").set("Cookie", form.cookie).send({ _csrf: form.csrf, username: "@Alice", password: PASSWORD });
    assert.equal(web.status, 429);
    assert.ok(Number(web.headers["retry-after"]) > 0);
    // Another account from the same address is not affected.
    await node.http.post("/api/v1/tokens").send({ username: "bob", password: PASSWORD }).expect(201);
  });

  test("a successful sign-in clears the account's failures", async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) {
      await node.http.post("/api/v1/tokens").send({ username: "alice", password: `guess ${i}` }).expect(401);
    }
    await node.http.post("/api/v1/tokens").send({ username: "alice", password: PASSWORD }).expect(201);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) {
      await node.http.post("/api/v1/tokens").send({ username: "alice", password: `guess ${i}` }).expect(401);
    }
    await node.http.post("/api/v1/tokens").send({ username: "alice", password: PASSWORD }).expect(201);
  });

  test(`answer 429 after ${LOGIN_LIMITS.perAddress} failures from one address across accounts`, async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      await node.http.post("/api/v1/tokens").send({ username: `sweep${i}`, password: "some guess!" }).expect(401);
    }
    const limited = await node.http.post("/api/v1/tokens").send({ username: "bob", password: PASSWORD }).expect(429);
    assert.ok(Number(limited.headers["retry-after"]) > 0);
    const row = await node.deps.db.selectFrom("rate_limits").selectAll().where("key", "=", "login:address:127.0.0.1").executeTakeFirst();
    assert.ok(row && row.hits > LOGIN_LIMITS.perAddress, "the window is keyed by the socket's address");
  });
});

describe("OpenAPI", () => {
  test("documents the accounts, tokens, me and admin paths", async () => {
    const { body } = await node.http.get("/api/openapi.json").expect(200);
    const operations = (path: string) => Object.keys(body.paths[path] ?? {}).sort();
    assert.deepEqual(operations("/v1/accounts"), ["post"]);
    assert.deepEqual(operations("/v1/tokens"), ["get", "post"]);
    assert.deepEqual(operations("/v1/tokens/{id}"), ["delete"]);
    assert.deepEqual(operations("/v1/me"), ["get", "patch"]);
    assert.deepEqual(operations("/v1/admin/accounts"), ["get"]);
    assert.deepEqual(operations("/v1/admin/accounts/{id}/approve"), ["post"]);
    assert.deepEqual(operations("/v1/admin/invites"), ["post"]);
    assert.deepEqual(body.paths["/v1/accounts"].post.requestBody.content["application/json"].schema.required, ["username", "password"]);
    assert.ok(body.paths["/v1/tokens"].post.responses["429"]);
  });
});
