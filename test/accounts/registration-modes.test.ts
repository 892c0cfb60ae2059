import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashToken } from "../../server/modules/accounts/secret-token.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { adminToken, html, openForm, PASSWORD, registerViaApi, tokenFor } from "./account-helpers.ts";

const nodes: TestNode[] = [];
async function nodeIn(mode: string): Promise<TestNode> {
  const node = await createTestNode({ REGISTRATION: mode });
  nodes.push(node);
  return node;
}
after(async () => {
  await Promise.all(nodes.map((n) => n.close()));
});

describe(`registration in open mode (${ENGINE_LABEL})`, () => {
  let node: TestNode;
  before(async () => {
    node = await nodeIn("open");
  });

  test("creates an active account at once: 201 {id, handle, acct, url, status}", async () => {
    const body = await registerViaApi(node, "Alice", { displayName: "Alice Example" });
    assert.equal(typeof body.id, "number");
    assert.equal(body.handle, "alice");
    assert.equal(body.acct, "alice@city-a.test");
    assert.equal(body.url, "https://city-a.test/@alice");
    assert.equal(body.status, "active");
    const token = await tokenFor(node, "alice");
    const me = await node.http.get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    assert.deepEqual(
      { handle: me.body.handle, displayName: me.body.displayName, role: me.body.role, status: me.body.status, bio: me.body.bio, avatar: me.body.avatar },
      { handle: "alice", displayName: "Alice Example", role: "member", status: "active", bio: "", avatar: null },
    );
  });

  test("stores the password as Argon2id with m=19456, t=2, p=1", async () => {
    const row = await node.deps.db
      .selectFrom("accounts")
      .innerJoin("actors", "actors.id", "accounts.actor_id")
      .select("password_hash")
      .where("handle", "=", "alice")
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.ok(!row.password_hash.includes(PASSWORD));
  });

  test("a taken handle is 409, whatever its case and whichever kind of actor holds it", async () => {
    const taken = await node.http.post("/api/v1/accounts").send({ username: "ALICE", password: PASSWORD }).expect(409);
    assert.equal(taken.body.issues[0].path, "username");
    assert.match(taken.body.message, /username: is already taken/);
    await insertActor(node.deps.db, { handle: "bike-kitchen", kind: "group", name: "Bike Kitchen", summary: "" });
    const group = await node.http.post("/api/v1/accounts").send({ username: "bike-kitchen", password: PASSWORD }).expect(409);
    assert.equal(group.body.issues[0].path, "username");
  });

  test("reserved and malformed handles and bad passwords are 422 naming the field", async () => {
    for (const username of ["admin", "node", "inbox", "bad handle", "dots..twice", "-dash", "x".repeat(31), ""]) {
      const res = await node.http.post("/api/v1/accounts").send({ username, password: PASSWORD });
      assert.equal(res.status, 422, `${JSON.stringify(username)} → ${res.status}`);
      assert.deepEqual([...new Set(res.body.issues.map((i: { path: string }) => i.path))], ["username"], JSON.stringify(username));
    }
    const reserved = await node.http.post("/api/v1/accounts").send({ username: "admin", password: PASSWORD });
    assert.match(reserved.body.message, /username: is reserved/);
    for (const password of ["short9char", "x".repeat(9), "y".repeat(257)]) {
      const res = await node.http.post("/api/v1/accounts").send({ username: "newbie", password });
      if (password.length === 10) {
        assert.equal(res.status, 201, "ten characters are enough");
        continue;
      }
      assert.equal(res.status, 422, `password of ${password.length}`);
      assert.deepEqual(res.body.issues.map((i: { path: string }) => i.path), ["password"]);
    }
    await node.http.post("/api/v1/accounts").set("Content-Type", "application/json").send("{nope").expect(400);
  });

  test("the web form registers, signs the browser in and goes to the profile", async () => {
    const form = await openForm(node, "/register");
    assert.equal(form.document.querySelector("[data-mode]")?.getAttribute("data-mode"), "open");
    assert.equal(form.document.querySelector('input[name="inviteCode"]'), null);
    const res = await node.http
      .post("/register")
      .type("form")
      .set("Cookie", form.cookie)
      .send({ _csrf: form.csrf, username: "webby", displayName: "Web Member", password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, "/@webby");
    assert.match(String(res.headers["set-cookie"]), /cn_session=/);
  });
});

describe(`registration in approval mode (${ENGINE_LABEL})`, () => {
  let node: TestNode;
  let admin: string;
  before(async () => {
    node = await nodeIn("approval");
    admin = await adminToken(node);
  });

  test("makes a pending account that gets no token, no actor and no session until an admin approves it", async () => {
    const body = await registerViaApi(node, "bob");
    assert.equal(body.status, "pending");
    const refused = await node.http.post("/api/v1/tokens").send({ username: "bob", password: PASSWORD });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /waiting for an admin/);
    await node.http.get("/@bob").set("Accept", "application/activity+json").expect(404);

    const member = await registerViaApi(node, "carol");
    assert.equal(await tokenStatus(node, "carol"), 403, "carol is pending too");
    const list = await node.http.get("/api/v1/admin/accounts?status=pending").set("Authorization", `Bearer ${admin}`).expect(200);
    assert.deepEqual(list.body.items.map((a: { handle: string }) => a.handle), ["bob", "carol"]);
    assert.equal(list.body.items[0].id, body.id);
    await node.http.post(`/api/v1/admin/accounts/${member.id}/approve`).set("Authorization", `Bearer ${admin}`).expect(200);

    const approved = await node.http.post(`/api/v1/admin/accounts/${body.id}/approve`).set("Authorization", `Bearer ${admin}`).expect(200);
    assert.equal(approved.body.status, "active");
    const token = await tokenFor(node, "bob");
    const carol = await tokenFor(node, "carol");
    await node.http.get("/api/v1/admin/accounts").set("Authorization", `Bearer ${carol}`).expect(403);
    await node.http.post(`/api/v1/admin/accounts/${body.id}/approve`).set("Authorization", `Bearer ${carol}`).expect(403);
    await node.http.post("/api/v1/admin/accounts/999999/approve").set("Authorization", `Bearer ${admin}`).expect(404);
    await node.http.get("/api/v1/admin/accounts?status=bogus").set("Authorization", `Bearer ${admin}`).expect(422);
    const me = await node.http.get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    assert.equal(me.body.status, "active");
    await node.http.get("/@bob").set("Accept", "application/activity+json").expect(200);
  });

  test("the web form shows the mode and a pending notice; the admin page lists and approves", async () => {
    const form = await openForm(node, "/register");
    assert.match(form.document.querySelector(".registration-mode")?.textContent ?? "", /approves each new account/);
    const res = await node.http
      .post("/register")
      .type("form")
      .set("Cookie", form.cookie)
      .send({ _csrf: form.csrf, username: "dora", password: PASSWORD });
    assert.equal(res.status, 201);
    assert.match(html(res.text).querySelector(".registration-pending")?.textContent ?? "", /@dora@city-a\.test.*waiting/s);
    assert.doesNotMatch(String(res.headers["set-cookie"] ?? ""), /cn_session/);

    const page = await node.http.get("/admin/accounts").set("Authorization", `Bearer ${admin}`).expect(200);
    const doc = html(page.text);
    const item = doc.querySelector(".pending-accounts li");
    assert.match(item?.textContent ?? "", /@dora/);
    assert.match(item?.querySelector("form")?.getAttribute("action") ?? "", /^\/admin\/accounts\/\d+\/approve$/);
    assert.ok(item?.querySelector('input[name="_csrf"]'));
    await node.http.get("/admin/accounts").expect(303).expect("location", "/login?next=%2Fadmin%2Faccounts");
  });
});

/** The status POST /api/v1/tokens answers for a correct password. */
async function tokenStatus(node: TestNode, username: string): Promise<number> {
  return (await node.http.post("/api/v1/tokens").send({ username, password: PASSWORD })).status;
}

describe(`registration in invite mode (${ENGINE_LABEL})`, () => {
  let node: TestNode;
  let admin: string;
  before(async () => {
    node = await nodeIn("invite");
    admin = await adminToken(node);
  });

  test("needs a code from an admin, which works once and is stored hashed", async () => {
    const without = await node.http.post("/api/v1/accounts").send({ username: "erin", password: PASSWORD }).expect(422);
    assert.equal(without.body.issues[0].path, "inviteCode");
    const bogus = await node.http.post("/api/v1/accounts").send({ username: "erin", password: PASSWORD, inviteCode: "inv_nope" }).expect(403);
    assert.equal(bogus.body.issues[0].path, "inviteCode");

    await node.http.post("/api/v1/admin/invites").expect(401);
    const invite = await node.http.post("/api/v1/admin/invites").set("Authorization", `Bearer ${admin}`).send({ expiresInDays: 2 }).expect(201);
    assert.match(invite.body.code, /^inv_[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(invite.body.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 1.9 && days <= 2, `expires in ${days} days`);
    const rows = await node.deps.db.selectFrom("invites").selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.code_hash, hashToken(invite.body.code));
    assert.ok(!JSON.stringify(rows).includes(invite.body.code));

    const erin = await registerViaApi(node, "erin", { inviteCode: invite.body.code });
    assert.equal(erin.status, "active");
    const reused = await node.http.post("/api/v1/accounts").send({ username: "frank", password: PASSWORD, inviteCode: invite.body.code }).expect(403);
    assert.match(reused.body.message, /inviteCode: is not valid/);
    // The refused registration left nothing behind: the handle is still free.
    const fresh = await node.http.post("/api/v1/admin/invites").set("Authorization", `Bearer ${admin}`).expect(201);
    assert.equal((await registerViaApi(node, "frank", { inviteCode: fresh.body.code })).status, "active");
  });

  test("the web form asks for the invite code and keeps what was typed when it is wrong", async () => {
    const form = await openForm(node, "/register");
    assert.ok(form.document.querySelector('input[name="inviteCode"]'));
    const res = await node.http
      .post("/register")
      .type("form")
      .set("Cookie", form.cookie)
      .send({ _csrf: form.csrf, username: "gina", displayName: "Gina", password: PASSWORD, inviteCode: "inv_wrong" });
    assert.equal(res.status, 403);
    const doc = html(res.text);
    assert.equal(doc.querySelector("#username")?.getAttribute("value"), "gina");
    assert.equal(doc.querySelector("#inviteCode")?.getAttribute("value"), "inv_wrong");
    assert.equal(doc.querySelector("#password")?.getAttribute("value"), "");
    assert.match(doc.querySelector("#inviteCode-error")?.textContent ?? "", /not valid/);
  });
});

describe(`registration in closed mode (${ENGINE_LABEL})`, () => {
  let node: TestNode;
  before(async () => {
    node = await nodeIn("closed");
  });

  test("is refused with 403 and a clear message, on the API and the web", async () => {
    const res = await node.http.post("/api/v1/accounts").send({ username: "henry", password: PASSWORD }).expect(403);
    assert.match(res.body.message, /Registration is closed on this node/);
    const form = await node.http.get("/register").expect(200);
    const doc = html(form.text);
    assert.match(doc.querySelector(".registration-mode")?.textContent ?? "", /closed/);
    assert.equal(doc.querySelector('form[action="/register"]'), null);
    const csrf = /cn_csrf=([^;]+)/.exec(String(form.headers["set-cookie"]))![1]!;
    const post = await node.http.post("/register").type("form").set("Cookie", `cn_csrf=${csrf}`).send({ _csrf: csrf, username: "henry", password: PASSWORD });
    assert.equal(post.status, 403);
    assert.equal(await node.deps.db.selectFrom("accounts").select("id").executeTakeFirst(), undefined);
  });
});
