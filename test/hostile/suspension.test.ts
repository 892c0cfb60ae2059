import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { adminToken, html, PASSWORD, registerViaApi, tokenFor, webLogin } from "../accounts/account-helpers.ts";

let node: TestNode;
let admin: string;
before(async () => {
  node = await createTestNode({ REGISTRATION: "open" });
  admin = await adminToken(node);
});
after(async () => {
  await node.close();
});

const asAdmin = (path: string) => node.http.post(path).set("Authorization", `Bearer ${admin}`);

describe(`suspending an account (${ENGINE_LABEL})`, () => {
  test("kills its API tokens and browser sessions for good: they stay dead after it is reinstated", async () => {
    const { id } = await registerViaApi(node, "mallory");
    const token = await tokenFor(node, "mallory");
    const browser = await webLogin(node, "mallory");
    await node.http.get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    await node.http.get("/api/v1/me").set("Cookie", browser).expect(200);

    const suspended = await asAdmin(`/api/v1/admin/accounts/${id}/suspend`).expect(200);
    assert.equal(suspended.body.status, "disabled");
    const refused = await node.http.post("/api/v1/tokens").send({ username: "mallory", password: PASSWORD });
    assert.equal(refused.status, 403, "a suspended member cannot get a new token");

    const reinstated = await asAdmin(`/api/v1/admin/accounts/${id}/reinstate`).expect(200);
    assert.equal(reinstated.body.status, "active");
    const byToken = await node.http.get("/api/v1/me").set("Authorization", `Bearer ${token}`);
    assert.equal(byToken.status, 401, "the old API token stays revoked");
    assert.match(byToken.body.error?.message ?? byToken.text, /not valid or was revoked/);
    await node.http.get("/api/v1/me").set("Cookie", browser).expect(401);
    await node.http.get("/settings/profile").set("Cookie", browser).expect(303);

    // The member comes back only by signing in again.
    const fresh = await tokenFor(node, "mallory");
    const me = await node.http.get("/api/v1/me").set("Authorization", `Bearer ${fresh}`).expect(200);
    assert.equal(me.body.handle, "mallory");
  });

  test("is for admins only, names a missing account, and refuses an admin's own account", async () => {
    const { id } = await registerViaApi(node, "victim");
    const member = await tokenFor(node, "victim");
    await node.http.post(`/api/v1/admin/accounts/${id}/suspend`).set("Authorization", `Bearer ${member}`).expect(403);
    const missing = await asAdmin("/api/v1/admin/accounts/999999/suspend").expect(404);
    assert.match(missing.text, /no such account/);
    await asAdmin("/api/v1/admin/accounts/abc/suspend").expect(404);
    const me = await node.http.get("/api/v1/me").set("Authorization", `Bearer ${admin}`).expect(200);
    const self = await asAdmin(`/api/v1/admin/accounts/${me.body.id}/suspend`).expect(409);
    assert.match(self.text, /own account/);
    const notSuspended = await asAdmin(`/api/v1/admin/accounts/${id}/reinstate`).expect(409);
    assert.match(notSuspended.text, /not suspended/);
  });

  test("works from the admins' page too: the member's browser is signed out and stays out after reinstatement", async () => {
    const { id } = await registerViaApi(node, "trudy");
    const browser = await webLogin(node, "trudy");
    const adminBrowser = await webLogin(node, "root_admin");
    const page = html((await node.http.get("/admin/accounts").set("Cookie", adminBrowser).expect(200)).text);
    const form = page.querySelector(`form[action="/admin/accounts/${id}/suspend"]`);
    assert.ok(form, "a Suspend button for trudy");
    const csrf = form.querySelector('input[name="_csrf"]')?.getAttribute("value") ?? "";
    await node.http.post(`/admin/accounts/${id}/suspend`).type("form").set("Cookie", adminBrowser).send({ _csrf: csrf }).expect(303);
    await node.http.get("/api/v1/me").set("Cookie", browser).expect(401);

    const after = html((await node.http.get("/admin/accounts").set("Cookie", adminBrowser).expect(200)).text);
    assert.ok(after.querySelector(`.suspended-accounts form[action="/admin/accounts/${id}/reinstate"]`), "trudy is listed as suspended");
    await node.http.post(`/admin/accounts/${id}/reinstate`).type("form").set("Cookie", adminBrowser).send({ _csrf: csrf }).expect(303);
    await node.http.get("/api/v1/me").set("Cookie", browser).expect(401);
    const buttons = [...page.querySelectorAll('form[action$="/suspend"] button')].map((b) => b.textContent ?? "");
    assert.ok(buttons.includes("Suspend @trudy"));
    assert.ok(!buttons.includes("Suspend @root_admin"), "no button to suspend oneself");
  });
});
