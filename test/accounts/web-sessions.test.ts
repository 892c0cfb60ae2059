import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashToken } from "../../server/modules/accounts/secret-token.ts";
import { createSession, findSession } from "../../server/modules/accounts/credential.repository.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { html, openForm, PASSWORD, registerViaApi, setCookies, webLogin } from "./account-helpers.ts";

let node: TestNode;
let aliceId: number;
before(async () => {
  node = await createTestNode({ REGISTRATION: "open" });
  aliceId = (await registerViaApi(node, "alice")).id;
});
after(async () => {
  await node.close();
});

async function postLogin(form: { csrf: string; cookie: string }, fields: Record<string, string>) {
  return await node.http.post("/login").type("form").set("Cookie", form.cookie).send({ _csrf: form.csrf, ...fields });
}

describe(`web sign-in (${ENGINE_LABEL})`, () => {
  test("sets a new __Host- session cookie (HttpOnly, SameSite=Lax, Secure, Path=/, no Domain) and stores only its hash", async () => {
    const form = await openForm(node, "/login");
    const res = await postLogin(form, { username: "alice", password: PASSWORD, next: "/" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, "/");
    assert.equal(setCookies(res).has("cn_session"), false, "no unprefixed session cookie on https");
    const cookie = setCookies(res).get("__Host-cn_session");
    assert.ok(cookie, `a __Host- session cookie in ${JSON.stringify(res.headers["set-cookie"])}`);
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    const attributes = cookie.raw.split(";").map((a) => a.trim().toLowerCase());
    for (const flag of ["httponly", "secure", "samesite=lax", "path=/"]) assert.ok(attributes.includes(flag), `${flag} in ${cookie.raw}`);
    assert.ok(!attributes.some((a) => a.startsWith("domain=")), `no Domain in ${cookie.raw}`);
    const row = await node.deps.db.selectFrom("sessions").selectAll().where("id_hash", "=", hashToken(cookie.value)).executeTakeFirst();
    assert.equal(row?.account_id, aliceId);
    const dump = JSON.stringify(await node.deps.db.selectFrom("sessions").selectAll().execute());
    assert.ok(!dump.includes(cookie.value));
    const me = await node.http.get("/api/v1/me").set("Cookie", `__Host-cn_session=${cookie.value}`).expect(200);
    assert.equal(me.body.handle, "alice");
    // A cookie without the prefix could have been planted by a sibling host or over http: not a session.
    await node.http.get("/api/v1/me").set("Cookie", `cn_session=${cookie.value}`).expect(401);
  });

  test("drops a session id planted before sign-in (session fixation)", async () => {
    const planted = await createSession(node.deps.db, aliceId);
    const form = await openForm(node, "/login");
    const res = await postLogin({ ...form, cookie: `${form.cookie}; __Host-cn_session=${planted}` }, { username: "alice", password: PASSWORD });
    assert.equal(res.status, 303);
    const issued = setCookies(res).get("__Host-cn_session")!.value;
    assert.notEqual(issued, planted);
    assert.equal(await findSession(node.deps.db, planted), undefined, "the planted id is dead");
    assert.ok(await findSession(node.deps.db, issued));
  });

  test("refuses a form without _csrf, with a wrong one, or from another site (403)", async () => {
    const form = await openForm(node, "/login");
    const missing = await node.http.post("/login").type("form").set("Cookie", form.cookie).send({ username: "alice", password: PASSWORD });
    assert.equal(missing.status, 403);
    assert.equal(setCookies(missing).has("__Host-cn_session"), false);
    const wrong = await postLogin({ ...form, csrf: "x".repeat(43) }, { username: "alice", password: PASSWORD });
    assert.equal(wrong.status, 403);
    const crossSite = await node.http
      .post("/login")
      .type("form")
      .set("Cookie", form.cookie)
      .set("Origin", "https://evil.example")
      .send({ _csrf: form.csrf, username: "alice", password: PASSWORD });
    assert.equal(crossSite.status, 403);
    assert.match(crossSite.text, /Cross-site request from https:\/\/evil\.example refused/);
    const register = await node.http.post("/register").type("form").set("Cookie", form.cookie).send({ username: "mallory", password: PASSWORD });
    assert.equal(register.status, 403);
  });

  test("goes back only to a path on this node (open redirects refused)", async () => {
    const cases: [string, string][] = [
      ["/settings/profile", "/settings/profile"],
      ["/@alice?tab=1#top", "/@alice?tab=1#top"],
      ["//evil.example/", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example/", "/"],
      ["/%2F%2Fevil.example", "/"],
      ["/%5Cevil.example", "/"],
      ["javascript:alert(1)", "/"],
      ["", "/"],
    ];
    for (const [next, expected] of cases) {
      const form = await openForm(node, "/login");
      const res = await postLogin(form, { username: "alice", password: PASSWORD, next });
      assert.equal(res.status, 303, next);
      assert.equal(res.headers.location, expected, `next=${next}`);
    }
    const page = await openForm(node, `/login?next=${encodeURIComponent("//evil.example")}`);
    assert.equal(page.document.querySelector('input[name="next"]')?.getAttribute("value"), "/");
  });

  test("re-renders the form on failure, keeping the username but never the password", async () => {
    const form = await openForm(node, "/login");
    const wrong = await postLogin(form, { username: "alice", password: "not the password" });
    assert.equal(wrong.status, 401);
    const doc = html(wrong.text);
    assert.equal(doc.querySelector("#username")?.getAttribute("value"), "alice");
    assert.equal(doc.querySelector("#password")?.getAttribute("value"), "");
    assert.match(doc.querySelector(".error-summary")?.textContent ?? "", /username or password is not right/);
    const empty = await postLogin(form, { username: "alice", password: "" });
    assert.equal(empty.status, 422);
    assert.match(html(empty.text).querySelector("#password-error")?.textContent ?? "", /is required/);
    await node.deps.db.deleteFrom("rate_limits").execute();
  });

  test("register re-renders 422 with field errors and the values typed, not the password", async () => {
    const form = await openForm(node, "/register");
    const res = await node.http
      .post("/register")
      .type("form")
      .set("Cookie", form.cookie)
      .send({ _csrf: form.csrf, username: "Not Valid!", displayName: "Nadia <3", password: "short" });
    assert.equal(res.status, 422);
    const doc = html(res.text);
    assert.equal(doc.querySelector("#username")?.getAttribute("value"), "Not Valid!");
    assert.equal(doc.querySelector("#username")?.getAttribute("aria-invalid"), "true");
    assert.equal(doc.querySelector("#displayName")?.getAttribute("value"), "Nadia <3");
    assert.equal(doc.querySelector("#password")?.getAttribute("value"), "");
    assert.match(doc.querySelector("#username-error")?.textContent ?? "", /letters, digits/);
    assert.match(doc.querySelector("#password-error")?.textContent ?? "", /at least 10 characters/);
    const taken = await node.http.post("/register").type("form").set("Cookie", form.cookie).send({ _csrf: form.csrf, username: "alice", password: PASSWORD });
    assert.equal(taken.status, 409);
    assert.match(html(taken.text).querySelector("#username-error")?.textContent ?? "", /already taken/);
  });

  test("logout ends the session on the server and clears the cookie", async () => {
    const cookie = await webLogin(node, "alice");
    const session = /__Host-cn_session=([^;]+)/.exec(cookie)![1]!;
    const home = await node.http.get("/").set("Cookie", cookie).expect(200);
    const logoutForm = html(home.text).querySelector('form[action="/logout"]');
    assert.ok(logoutForm, "the header has a logout form");
    const csrf = logoutForm.querySelector('input[name="_csrf"]')?.getAttribute("value");
    await node.http.post("/logout").type("form").set("Cookie", cookie).send({}).expect(403);
    const res = await node.http.post("/logout").type("form").set("Cookie", cookie).send({ _csrf: csrf }).expect(303);
    assert.equal(res.headers.location, "/");
    assert.match(setCookies(res).get("__Host-cn_session")?.raw ?? "", /Max-Age=0/i);
    assert.equal(await findSession(node.deps.db, session), undefined);
    await node.http.get("/api/v1/me").set("Cookie", cookie).expect(401);
    await node.http.get("/settings/profile").set("Cookie", cookie).expect(303).expect("location", "/login?next=%2Fsettings%2Fprofile");
  });

  test("cookie-authenticated JSON writes need the X-CSRF-Token header", async () => {
    const cookie = await webLogin(node, "alice");
    const csrf = /cn_csrf=([^;]+)/.exec(cookie)![1]!;
    await node.http.patch("/api/v1/me").set("Cookie", cookie).send({ displayName: "Alice" }).expect(403);
    const ok = await node.http.patch("/api/v1/me").set("Cookie", cookie).set("X-CSRF-Token", csrf).send({ displayName: "Alice" }).expect(200);
    assert.equal(ok.body.displayName, "Alice");
  });
});

describe(`web sign-in on a plain-http node (${ENGINE_LABEL})`, () => {
  let local: TestNode;
  before(async () => {
    local = await createTestNode({ REGISTRATION: "open", PUBLIC_URL: "http://localhost:8080" });
    await registerViaApi(local, "bob");
  });
  after(async () => {
    await local.close();
  });

  test("keeps the plain cookie name, without Secure, since browsers refuse __Host- cookies over http", async () => {
    const form = await openForm(local, "/login");
    const res = await local.http.post("/login").type("form").set("Cookie", form.cookie).send({ _csrf: form.csrf, username: "bob", password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(setCookies(res).has("__Host-cn_session"), false);
    const cookie = setCookies(res).get("cn_session");
    assert.ok(cookie);
    assert.ok(!cookie.raw.toLowerCase().split(";").map((a) => a.trim()).includes("secure"), cookie.raw);
    const me = await local.http.get("/api/v1/me").set("Cookie", `cn_session=${cookie.value}`).expect(200);
    assert.equal(me.body.handle, "bob");
  });
});
