import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Document as AsDocument } from "@fedify/vocab";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { adminToken, html, openForm, registerViaApi, webLogin } from "../accounts/account-helpers.ts";

const AP = "application/activity+json";
const LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
let node: TestNode;
let admin: string;

before(async () => {
  node = await createTestNode({ NODE_NAME: "City A", REGISTRATION: "approval" });
  admin = await adminToken(node, "root_admin");
  const v2 = await node.http
    .put("/api/v1/admin/charter")
    .set("Authorization", `Bearer ${admin}`)
    .send({
      registration: "invite",
      federation: { mode: "allowlist", allow: ["city-b.example", "127.0.0.1:8080"], block: ["spam.example"] },
      directory: { acceptKinds: ["project", "design"], hopLimit: 2 },
      licences: ["CC-BY-SA-4.0"],
      moderation: "Be kind.\n\nNo <script>alert(1)</script> ads.",
      contact: "admins@city-a.test",
      note: "Connect with City B",
    });
  assert.equal(v2.status, 201, v2.text);
});
after(async () => await node.close());

describe(`the charter's stable URLs on ${ENGINE_LABEL}`, () => {
  test("/charter as ActivityPub JSON-LD: a Document for the version in force, under our inline context", async () => {
    const res = await node.http.get("/charter").set("Accept", AP).expect(200);
    assert.match(res.headers["content-type"]!, /^application\/activity\+json/);
    assert.match(res.headers.vary ?? "", /Accept/);
    const doc = JSON.parse(res.text);
    assert.equal(doc["@context"][0], "https://www.w3.org/ns/activitystreams");
    assert.equal(doc["@context"][1].cn, "https://w3id.org/commonsnet/ns#");
    assert.deepEqual(doc["@context"][1].allow, { "@id": "cn:allow", "@container": "@set" });
    assert.equal(doc.id, "https://city-a.test/charter/v2");
    assert.equal(doc.type, "Document");
    assert.equal(doc.url, "https://city-a.test/charter");
    assert.equal(doc.version, 2);
    assert.equal(doc.supersedes, "https://city-a.test/charter/v1");
    assert.equal(doc.attributedTo, "https://city-a.test/@node");
    assert.equal(doc.name, "Charter of City A, version 2");
    assert.equal(doc.summary, "<p>Connect with City B</p>");
    assert.equal(doc.registration, "invite");
    assert.deepEqual(doc.federation, { mode: "allowlist", allow: ["city-b.example", "127.0.0.1:8080"], block: ["spam.example"] });
    assert.deepEqual(doc.directory, { acceptKinds: ["project", "design"], hopLimit: 2 });
    assert.deepEqual(doc.licences, ["CC-BY-SA-4.0"]);
    assert.equal(doc.contact, "admins@city-a.test");
    assert.ok(!Number.isNaN(Date.parse(doc.published)));

    // A JSON-LD processor (Fedify's, which expands the document) reads the standard fields.
    const parsed = await AsDocument.fromJsonLd(doc, { contextLoader: node.federation.createContext(new URL("https://city-a.test"), node.deps).contextLoader });
    assert.equal(parsed.id?.href, "https://city-a.test/charter/v2");
    assert.equal(parsed.url?.toString(), "https://city-a.test/charter");
    assert.equal(parsed.attributionId?.href, "https://city-a.test/@node");
  });

  test("/charter/v1 keeps the first version; ld+json and plain JSON get the same document", async () => {
    const ld = await node.http.get("/charter/v1").set("Accept", LD).expect(200);
    assert.match(ld.headers["content-type"]!, /^application\/ld\+json; profile="https:\/\/www.w3.org\/ns\/activitystreams"/);
    const v1 = JSON.parse(ld.text);
    assert.equal(v1.id, "https://city-a.test/charter/v1");
    assert.equal(v1.url, "https://city-a.test/charter");
    assert.equal(v1.registration, "approval", "version 1 came from REGISTRATION");
    assert.equal(v1.federation.mode, "open");
    assert.equal(v1.supersedes, undefined);
    const json = await node.http.get("/charter/v1").set("Accept", "application/json").expect(200);
    assert.deepEqual(JSON.parse(json.text), v1);
    await node.http.get("/charter/v9").set("Accept", AP).expect(404);
    await node.http.get("/charter/vx").set("Accept", AP).expect(404);
  });

  test("browsers get the rules in words, the history and links to the changes", async () => {
    const res = await node.http.get("/charter").set("Accept", BROWSER).expect(200);
    assert.match(res.headers["content-type"]!, /text\/html/);
    const doc = html(res.text);
    assert.equal(doc.querySelector(".charter-version")?.textContent, "2");
    assert.equal(doc.querySelector('link[rel="alternate"]')?.getAttribute("href"), "https://city-a.test/charter/v2");
    assert.match(doc.querySelector(".charter-registration")?.textContent ?? "", /by invitation/);
    assert.match(doc.querySelector(".charter-federation")?.textContent ?? "", /only with the hosts allowed below/);
    assert.deepEqual([...doc.querySelectorAll(".charter-allow li")].map((li) => li.textContent), ["city-b.example", "127.0.0.1:8080"]);
    assert.deepEqual([...doc.querySelectorAll(".charter-block li")].map((li) => li.textContent), ["spam.example"]);
    assert.match(doc.querySelector(".charter-directory")?.textContent ?? "", /project, design[\s\S]*up to 2 nodes beyond direct peers/);
    assert.equal(doc.querySelector(".charter-licences a")?.getAttribute("href"), "https://spdx.org/licenses/CC-BY-SA-4.0.html");
    const moderation = [...doc.querySelectorAll(".charter-moderation p")].map((p) => p.textContent);
    assert.deepEqual(moderation, ["Be kind.", "No <script>alert(1)</script> ads."], "prose is escaped, paragraph by paragraph");
    assert.equal(doc.querySelector(".charter-moderation script"), null);
    const versions = [...doc.querySelectorAll(".charter-versions li")];
    assert.deepEqual(versions.map((li) => li.getAttribute("data-version")), ["2", "1"]);
    assert.match(versions[0]!.textContent ?? "", /by @root_admin[\s\S]*Connect with City B/);
    assert.equal(versions[0]!.querySelector("a.diff-link")?.getAttribute("href"), "/charter/diff?from=1&to=2");
    assert.equal(versions[1]!.querySelector("a")?.getAttribute("href"), "/charter/v1");

    const old = html((await node.http.get("/charter/v1").set("Accept", BROWSER).expect(200)).text);
    assert.match(old.querySelector(".notice")?.textContent ?? "", /earlier version[\s\S]*version 2/);
    assert.match(old.querySelector(".charter-registration")?.textContent ?? "", /admin approves/);
  });

  test("/charter/diff shows each changed rule with its old and new value", async () => {
    const res = await node.http.get("/charter/diff?from=1&to=2").set("Accept", BROWSER).expect(200);
    const doc = html(res.text);
    const rows = [...doc.querySelectorAll(".charter-changes tbody tr")].map((tr) => [tr.getAttribute("data-path"), tr.querySelector(".old")?.textContent, tr.querySelector(".new")?.textContent]);
    assert.deepEqual(rows.slice(0, 5), [
      ["registration", "approval", "invite"],
      ["federation.mode", "open", "allowlist"],
      ["federation.allow", "(none)", "city-b.example, 127.0.0.1:8080"],
      ["federation.block", "(none)", "spam.example"],
      ["directory.acceptKinds", "project, coop, design, facility", "project, design"],
    ]);
    assert.deepEqual(rows.map((r) => r[0]), ["registration", "federation.mode", "federation.allow", "federation.block", "directory.acceptKinds", "directory.hopLimit", "licences", "moderation", "contact"]);
    const same = html((await node.http.get("/charter/diff?from=2&to=2").expect(200)).text);
    assert.match(same.querySelector(".no-changes")?.textContent ?? "", /same rules/);
    await node.http.get("/charter/diff?from=1&to=7").set("Accept", BROWSER).expect(404);
  });

  test("NodeInfo links the charter and names its version; the node actor carries a Charter field", async () => {
    const info = (await node.http.get("/nodeinfo/2.1").expect(200)).body;
    assert.equal(info.metadata.charter, "https://city-a.test/charter");
    assert.equal(info.metadata.charterVersion, 2);
    assert.equal(info.metadata.registration, "invite");
    assert.equal(info.openRegistrations, false);

    const actor = JSON.parse((await node.http.get("/@node").set("Accept", AP).expect(200)).text);
    assert.ok(Array.isArray(actor.attachment), "attachment stays an array (Mastodon ignores a lone object)");
    const field = actor.attachment.find((a: any) => a.type === "PropertyValue" && a.name === "Charter");
    assert.ok(field, JSON.stringify(actor.attachment));
    const link = html(`<p>${field.value}</p>`).querySelector("a");
    assert.equal(link?.getAttribute("href"), "https://city-a.test/charter");
    assert.equal(link?.textContent, "city-a.test/charter");
    assert.ok(actor.attachment.some((a: any) => a.type === "Note" && a.name === "Charter" && a.content === "https://city-a.test/charter"));
  });
});

describe(`the admins' charter form on ${ENGINE_LABEL}`, () => {
  test("visitors are sent to log in and members are refused", async () => {
    const anonymous = await node.http.get("/admin/charter").set("Accept", "text/html");
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, "/login?next=%2Fadmin%2Fcharter");
  });

  test("starts from the rules in force; a bad host and licence re-render with messages; a valid form saves a version", async () => {
    const cookie = await webLogin(node, "root_admin");
    const form = await openForm(node, "/admin/charter", cookie);
    const value = (name: string) => (form.document.querySelector(`[name="${name}"]`) as HTMLInputElement | null)?.getAttribute("value");
    assert.equal(value("basedOn"), "2");
    assert.equal(form.document.querySelector('input[name="registration"][value="invite"]')?.hasAttribute("checked"), true);
    assert.equal(form.document.querySelector('input[name="federationMode"][value="allowlist"]')?.hasAttribute("checked"), true);
    assert.equal(form.document.querySelector("#allow")?.textContent, "city-b.example\n127.0.0.1:8080");
    assert.equal(value("hopLimit"), "2");

    const fields = {
      _csrf: form.csrf,
      basedOn: "2",
      registration: "open",
      federationMode: "blocklist",
      allow: "",
      block: "spam.example\nnot a host",
      acceptKinds: ["project", "coop"],
      hopLimit: "7",
      licences: "MIT\nNope-1.0",
      moderation: "Be kind.",
      contact: "",
      note: "Open up",
    };
    const bad = await node.http.post("/admin/charter").type("form").set("Cookie", form.cookie).send(fields);
    assert.equal(bad.status, 422);
    const page = html(bad.text);
    assert.equal(page.querySelector("#block-error")?.textContent, "“not a host” is not a host name such as city.example (optionally with :port)");
    assert.equal(page.querySelector("#licences-error")?.textContent, "“Nope-1.0” is not an SPDX licence identifier (see https://spdx.org/licenses/) or a LicenseRef-…");
    assert.equal(page.querySelector("#hopLimit-error")?.textContent, "must be between 0 and 5");
    assert.equal(page.querySelector("#block")?.textContent, "spam.example\nnot a host", "what was typed is shown again");
    assert.equal(page.querySelector('input[name="federationMode"][value="blocklist"]')?.hasAttribute("checked"), true);
    assert.equal((await node.http.get("/api/v1/charter")).body.version, 2);

    const noCsrf = await node.http.post("/admin/charter").type("form").set("Cookie", form.cookie).send({ ...fields, _csrf: "forged" });
    assert.equal(noCsrf.status, 403);

    const good = await node.http.post("/admin/charter").type("form").set("Cookie", form.cookie).send({ ...fields, block: "spam.example\nads.example", hopLimit: "0", licences: "MIT" });
    assert.equal(good.status, 303, good.text);
    assert.equal(good.headers.location, "/admin/charter?saved=3");
    const v3 = (await node.http.get("/api/v1/charter")).body;
    assert.equal(v3.version, 3);
    assert.equal(v3.note, "Open up");
    assert.deepEqual(v3.document, {
      registration: "open",
      federation: { mode: "blocklist", allow: [], block: ["spam.example", "ads.example"] },
      directory: { acceptKinds: ["project", "coop"], hopLimit: 0 },
      licences: ["MIT"],
      moderation: "Be kind.",
      contact: "",
    });
    const saved = html((await node.http.get("/admin/charter?saved=3").set("Cookie", cookie).expect(200)).text);
    assert.match(saved.querySelector(".notice")?.textContent ?? "", /Saved as version 3/);

    // Saving the rules in force makes no version.
    const again = await openForm(node, "/admin/charter", cookie);
    const unchanged = await node.http.post("/admin/charter").type("form").set("Cookie", again.cookie).send({ ...fields, _csrf: again.csrf, basedOn: "3", block: "spam.example\nads.example", hopLimit: "0", licences: "MIT" });
    assert.equal(unchanged.status, 303, unchanged.text);
    assert.equal(unchanged.headers.location, "/admin/charter?unchanged=3");
    assert.equal((await node.http.get("/api/v1/charter")).body.version, 3);

    // The same form again, still based on version 2: someone saved in between.
    const stale = await node.http.post("/admin/charter").type("form").set("Cookie", form.cookie).send({ ...fields, block: "spam.example", hopLimit: "1", licences: "" });
    assert.equal(stale.status, 409);
    const conflict = html(stale.text);
    assert.match(conflict.querySelector(".error-summary")?.textContent ?? "", /changed since version 2: the current version is 3/);
    assert.equal((conflict.querySelector('[name="basedOn"]') as HTMLInputElement | null)?.getAttribute("value"), "3");
    assert.equal((await node.http.get("/api/v1/charter")).body.version, 3);
  });

  test("a member gets 403 on the form (registration is open since version 3)", async () => {
    // Version 3 (saved above) opened registration.
    assert.equal((await registerViaApi(node, "plain_member")).status, "active");
    const cookie = await webLogin(node, "plain_member");
    const page = await node.http.get("/admin/charter").set("Accept", "text/html").set("Cookie", cookie);
    assert.equal(page.status, 403);
  });
});
