import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { adminToken, PASSWORD, registerViaApi, tokenFor } from "../accounts/account-helpers.ts";

let node: TestNode;
let admin: string;
let member: string;

// REGISTRATION=open seeds version 1; the charter decides from then on.
before(async () => {
  node = await createTestNode({ REGISTRATION: "open" });
  admin = await adminToken(node, "root_admin");
  await registerViaApi(node, "maria");
  member = await tokenFor(node, "maria");
});
after(async () => await node.close());

const base = {
  registration: "open",
  federation: { mode: "open", allow: [], block: [] },
  directory: { acceptKinds: ["project", "coop", "design", "facility"], hopLimit: 1 },
  licences: [],
  moderation: "",
  contact: "",
};

async function put(body: unknown, token = admin) {
  return await node.http.put("/api/v1/admin/charter").set("Authorization", `Bearer ${token}`).send(body as object);
}

describe(`charter versions through the API on ${ENGINE_LABEL}`, () => {
  test("version 1 comes from REGISTRATION: open federation, every kind, one hop", async () => {
    const res = await node.http.get("/api/v1/charter").expect(200);
    assert.equal(res.body.version, 1);
    assert.deepEqual(res.body.document, base);
    assert.equal(res.body.note, "First version, from the node's configuration");
    assert.equal(res.body.url, "https://city-a.test/charter/v1");
    assert.ok(!Number.isNaN(Date.parse(res.body.createdAt)));
  });

  test("anonymous PUT → 401, a member's → 403, and neither makes a version", async () => {
    const anonymous = await node.http.put("/api/v1/admin/charter").send(base);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, "unauthorized");
    const byMember = await put({ ...base, registration: "closed" }, member);
    assert.equal(byMember.status, 403);
    assert.equal(byMember.body.message, "Only the node's admins may do this.");
    assert.equal((await node.http.get("/api/v1/charter")).body.version, 1);
  });

  test("each PUT with new rules is a new version; the history lists them newest first with who and why", async () => {
    const second = await put({ ...base, federation: { mode: "blocklist", block: ["spam.example", "HTTPS://Bad.Example/path"] }, note: "Block two spammers", basedOn: 1 });
    assert.equal(second.status, 201, second.text);
    assert.equal(second.body.version, 2);
    assert.deepEqual(second.body.document.federation, { mode: "blocklist", allow: [], block: ["spam.example", "bad.example"] });
    assert.equal(second.body.note, "Block two spammers");
    assert.equal(second.body.url, "https://city-a.test/charter/v2");

    const third = await put({ ...base, federation: { mode: "blocklist", block: ["spam.example"] }, licences: ["cc-by-sa-4.0", "CERN-OHL-S-2.0"], contact: "admins@city-a.test" });
    assert.equal(third.status, 201, third.text);
    assert.equal(third.body.version, 3);
    assert.deepEqual(third.body.document.licences, ["CC-BY-SA-4.0", "CERN-OHL-S-2.0"], "SPDX ids take their canonical spelling");

    const current = await node.http.get("/api/v1/charter").expect(200);
    assert.equal(current.body.version, 3);
    const history = await node.http.get("/api/v1/charter/versions").expect(200);
    assert.deepEqual(
      history.body.items.map((v: any) => [v.version, v.note, v.createdBy]),
      [
        [3, "", "root_admin"],
        [2, "Block two spammers", "root_admin"],
        [1, "First version, from the node's configuration", undefined],
      ],
    );
    const v2 = await node.http.get("/api/v1/charter/versions/2").expect(200);
    assert.deepEqual(v2.body.document.federation.block, ["spam.example", "bad.example"]);
    await node.http.get("/api/v1/charter/versions/99").expect(404);
    await node.http.get("/api/v1/charter/versions/two").expect(404);
  });

  test("the diff lists exactly the changed paths with old and new values", async () => {
    const res = await node.http.get("/api/v1/charter/versions/3/diff").query({ from: 1 }).expect(200);
    assert.deepEqual(res.body, {
      from: 1,
      to: 3,
      changes: [
        { path: "federation.mode", old: "open", new: "blocklist" },
        { path: "federation.block", old: [], new: ["spam.example"] },
        { path: "licences", old: [], new: ["CC-BY-SA-4.0", "CERN-OHL-S-2.0"] },
        { path: "contact", old: "", new: "admins@city-a.test" },
      ],
    });
    const previous = await node.http.get("/api/v1/charter/versions/3/diff").expect(200);
    assert.equal(previous.body.from, 2, "from defaults to the version before");
    assert.deepEqual(previous.body.changes.map((c: any) => c.path), ["federation.block", "licences", "contact"]);
    const backwards = await node.http.get("/api/v1/charter/versions/1/diff").query({ from: 3 }).expect(200);
    assert.deepEqual(backwards.body.changes[0], { path: "federation.mode", old: "blocklist", new: "open" });
    assert.equal((await node.http.get("/api/v1/charter/versions/1/diff")).status, 422);
    assert.equal((await node.http.get("/api/v1/charter/versions/3/diff").query({ from: "x" })).status, 422);
    assert.equal((await node.http.get("/api/v1/charter/versions/3/diff").query({ from: 42 })).status, 404);
    // Past a 32-bit integer (found by the fuzzer): a 422 naming `from`, not a database error.
    const huge = await node.http.get("/api/v1/charter/versions/1/diff").query({ from: "2147483648" });
    assert.equal(huge.status, 422);
    assert.match(huge.body.message, /from/);
  });

  test("a stale basedOn is a 409 and adds nothing; the same rules again are a 200 with no new version", async () => {
    const stale = await put({ ...base, registration: "invite", basedOn: 2 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error, "conflict");
    assert.match(stale.body.message, /changed since version 2: the current version is 3/);
    const future = await put({ ...base, registration: "invite", basedOn: 7 });
    assert.equal(future.status, 409);

    const current = (await node.http.get("/api/v1/charter")).body;
    const same = await put({ ...current.document, basedOn: 3, note: "nothing new" });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 3);
    assert.equal((await node.http.get("/api/v1/charter/versions")).body.items.length, 3);
  });

  test("bad input is a 422 naming each field, and makes no version", async () => {
    const res = await put({
      registration: "sometimes",
      federation: { mode: "sometimes", allow: ["city b.example", "ok.example:99999"], block: ["-bad-.example"] },
      directory: { acceptKinds: ["recipe"], hopLimit: 9 },
      licences: ["MIT", "Not-A-Licence"],
      moderation: 42,
      extra: true,
    });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error, "invalid_input");
    const issues = new Map<string, string>(res.body.issues.map((i: any) => [i.path, i.message]));
    assert.equal(issues.get("registration"), "must be one of open, approval, invite, closed");
    assert.equal(issues.get("federation.mode"), "must be one of open, allowlist, blocklist");
    assert.equal(issues.get("federation.allow.0"), "“city b.example” is not a host name such as city.example (optionally with :port)");
    assert.equal(issues.get("federation.allow.1"), "“ok.example:99999” is not a host name such as city.example (optionally with :port)");
    assert.equal(issues.get("federation.block.0"), "“-bad-.example” is not a host name such as city.example (optionally with :port)");
    assert.equal(issues.get("directory.acceptKinds.0"), "must be one of project, coop, design, facility");
    assert.equal(issues.get("directory.hopLimit"), "must be between 0 and 5");
    assert.equal(issues.get("licences.1"), "“Not-A-Licence” is not an SPDX licence identifier (see https://spdx.org/licenses/) or a LicenseRef-…");
    assert.equal(issues.get("moderation"), "must be text");
    assert.match(issues.get("(body)") ?? "", /^has no field “extra” \(the fields are registration, federation/);
    assert.match(res.body.message, /federation\.mode: must be one of open, allowlist, blocklist/);

    const misspelt = await put({ ...base, federation: { mode: "allowlist", allowlist: ["city-b.example"] } });
    assert.equal(misspelt.status, 422);
    assert.deepEqual(misspelt.body.issues, [{ path: "federation", message: "has no field “allowlist” (the fields are mode, allow and block)" }]);

    const missing = await put({});
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.issues.map((i: any) => i.path).sort(), ["federation", "registration"]);
    const notJson = await node.http.put("/api/v1/admin/charter").set("Authorization", `Bearer ${admin}`).type("text").send("registration=open");
    assert.equal(notJson.status, 415);
    assert.equal((await node.http.get("/api/v1/charter")).body.version, 3);
  });

  test("a LicenseRef and a host with a port are accepted", async () => {
    const res = await put({ ...base, federation: { mode: "allowlist", allow: ["127.0.0.1:8080", "[::1]:3000", "city-b.example"] }, licences: ["LicenseRef-PeerProductionLicense"] });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.document.federation.allow, ["127.0.0.1:8080", "[::1]:3000", "city-b.example"]);
    assert.deepEqual(res.body.document.licences, ["LicenseRef-PeerProductionLicense"]);
  });

  test("the OpenAPI document describes the charter paths", async () => {
    const res = await node.http.get("/api/openapi.json").expect(200);
    for (const path of ["/v1/charter", "/v1/charter/versions", "/v1/charter/versions/{version}", "/v1/charter/versions/{version}/diff", "/v1/admin/charter"]) {
      assert.ok(res.body.paths[path], `${path} documented`);
    }
    assert.ok(res.body.paths["/v1/admin/charter"].put.responses[409]);
  });
});

describe(`registration follows the charter, not REGISTRATION, on ${ENGINE_LABEL}`, () => {
  test("closing registration in the charter closes it at once: API, web form and NodeInfo", async () => {
    const current = (await node.http.get("/api/v1/charter")).body;
    await registerViaApi(node, "before_close");
    assert.equal((await node.http.get("/nodeinfo/2.1")).body.openRegistrations, true);

    const closed = await put({ ...current.document, registration: "closed", note: "Full for now" });
    assert.equal(closed.status, 201, closed.text);

    const refused = await node.http.post("/api/v1/accounts").send({ username: "after_close", password: PASSWORD });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /Registration is closed/);
    const page = await node.http.get("/register").set("Accept", "text/html").expect(200);
    assert.match(page.text, /class="registration-mode notice"/);
    const nodeinfo = (await node.http.get("/nodeinfo/2.1")).body;
    assert.equal(nodeinfo.openRegistrations, false);
    assert.equal(nodeinfo.metadata.registration, "closed");
    assert.equal(node.config.registration, "open", "the environment still says open");

    const approval = await put({ ...current.document, registration: "approval" });
    assert.equal(approval.status, 201);
    const pending = await node.http.post("/api/v1/accounts").send({ username: "after_reopen", password: PASSWORD });
    assert.equal(pending.status, 201);
    assert.equal(pending.body.status, "pending");
  });
});
