import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { REGISTRATION_LIMITS } from "../../server/modules/accounts/registration-limits.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { html, openForm, PASSWORD } from "../accounts/account-helpers.ts";

// Behind a proxy (TRUST_PROXY=true) the client address is X-Forwarded-For's last entry, so one test
// process can play many clients.
let node: TestNode;
before(async () => {
  node = await createTestNode({ REGISTRATION: "open", TRUST_PROXY: "true" });
});
after(async () => {
  await node.close();
});
beforeEach(async () => {
  await node.deps.db.deleteFrom("rate_limits").execute();
});

let serial = 0;
const apiSignUp = (address: string) =>
  node.http.post("/api/v1/accounts").set("X-Forwarded-For", address).send({ username: `flood_${++serial}`, password: PASSWORD });

async function formSignUp(address: string) {
  const form = await openForm(node, "/register");
  return await node.http
    .post("/register")
    .type("form")
    .set("X-Forwarded-For", address)
    .set("Cookie", form.cookie)
    .send({ _csrf: form.csrf, username: `flood_${++serial}`, password: PASSWORD });
}

async function accountCount(): Promise<number> {
  const row = await node.deps.db.selectFrom("accounts").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe(`sign-up flood (${ENGINE_LABEL})`, () => {
  test("one address gets 429 with a message and Retry-After past its limit, on the API and the web form alike", async () => {
    for (let i = 0; i < REGISTRATION_LIMITS.perAddress.hits; i++) assert.equal((await apiSignUp("203.0.113.7")).status, 201);
    const before = await accountCount();

    const api = await apiSignUp("203.0.113.7");
    assert.equal(api.status, 429);
    assert.match(api.body.message, /Too many sign-ups from your address just now\. Try again in \d+ minutes?\./);
    assert.ok(Number(api.headers["retry-after"]) > 0, "Retry-After says when");

    const web = await formSignUp("203.0.113.7");
    assert.equal(web.status, 429);
    assert.match(html(web.text).querySelector(".error-summary")?.textContent ?? "", /Too many sign-ups from your address/);
    assert.ok(Number(web.headers["retry-after"]) > 0);
    assert.equal(await accountCount(), before, "no account was made past the limit");

    // Another client is not punished for this one.
    assert.equal((await apiSignUp("198.51.100.2")).status, 201);
  });

  test("many addresses together are held by the node-wide limit (429), on the API and the web form alike", async () => {
    for (let i = 0; i < REGISTRATION_LIMITS.node.hits; i++) assert.equal((await apiSignUp(`192.0.2.${i + 1}`)).status, 201);
    const before = await accountCount();

    const api = await apiSignUp("192.0.2.200");
    assert.equal(api.status, 429);
    assert.match(api.body.message, /Too many sign-ups on this node just now/);
    const web = await formSignUp("192.0.2.201");
    assert.equal(web.status, 429);
    assert.match(html(web.text).querySelector(".error-summary")?.textContent ?? "", /Too many sign-ups on this node/);
    assert.equal(await accountCount(), before);
  });
});
