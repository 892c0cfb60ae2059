import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sendingHosts } from "../../server/http/federation-edge/charter-guard.ts";
import { diffJson, jsonEqual } from "../../server/modules/charter/charter-diff.ts";
import { CharterInput, defaultCharter } from "../../server/modules/charter/charter.schema.ts";
import { inboundVerdict, isPeerAllowed } from "../../server/modules/charter/peer-policy.ts";

const charter = (federation: { mode: "open" | "allowlist" | "blocklist"; allow?: string[]; block?: string[] }) =>
  CharterInput.parse({ registration: "open", federation });

describe("isPeerAllowed and inboundVerdict", () => {
  test("open mode admits everyone but blocked hosts", () => {
    const c = charter({ mode: "open", block: ["spam.example"] });
    assert.equal(isPeerAllowed(c, "city-b.example"), true);
    assert.equal(isPeerAllowed(c, "SPAM.example"), false);
  });

  test("blocklist refuses the listed hosts under every port and spelling, and their subdomains", () => {
    const c = charter({ mode: "blocklist", block: ["127.0.0.1:8080", "localhost", "spam.example", "bücher.example"] });
    assert.equal(isPeerAllowed(c, "127.0.0.1:8080"), false);
    assert.equal(isPeerAllowed(c, "127.0.0.1:8081"), false);
    assert.equal(isPeerAllowed(c, "0x7f.0.0.1"), false, "IPv4 in hex is the same address");
    assert.equal(isPeerAllowed(c, "localhost.:3000"), false);
    assert.equal(isPeerAllowed(c, "a.b.SPAM.example"), false);
    assert.equal(isPeerAllowed(c, "xn--bcher-kva.example"), false, "the punycode of a Unicode entry");
    assert.equal(isPeerAllowed(c, "notspam.example"), true);
    assert.equal(isPeerAllowed(c, "127.0.0.2"), true);
  });

  test("allowlist admits the listed hosts only", () => {
    const c = charter({ mode: "allowlist", allow: ["city-b.example"] });
    assert.equal(isPeerAllowed(c, "city-b.example"), true);
    assert.equal(isPeerAllowed(c, "city-c.example"), false);
  });

  test("every host of an activity must pass; an unlisted (not blocked) host may ask to connect in allowlist mode", () => {
    const c = charter({ mode: "allowlist", allow: ["city-b.example"], block: ["spam.example"] });
    assert.deepEqual(inboundVerdict(c, { hosts: ["city-b.example"], connectionRequest: false }), { allowed: true });
    assert.deepEqual(inboundVerdict(c, { hosts: ["city-b.example", "city-c.example"], connectionRequest: false }), { allowed: false, host: "city-c.example" });
    assert.deepEqual(inboundVerdict(c, { hosts: ["city-c.example"], connectionRequest: true }), { allowed: true });
    assert.deepEqual(inboundVerdict(c, { hosts: ["spam.example"], connectionRequest: true }), { allowed: false, host: "spam.example" });
    const blocklist = charter({ mode: "blocklist", block: ["city-c.example"] });
    assert.deepEqual(inboundVerdict(blocklist, { hosts: ["city-c.example"], connectionRequest: true }), { allowed: false, host: "city-c.example" });
  });
});

describe("sendingHosts", () => {
  test("the HTTP signature's key, the LD signature's creator and every actor", () => {
    const headers = new Headers({ Signature: 'keyId="https://relay.example/actor#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="x"' });
    const body = {
      type: "Like",
      actor: ["https://a.example/users/a", { id: "https://B.example:8443/users/b" }],
      signature: { type: "RsaSignature2017", creator: "https://a.example/users/a#main-key" },
    };
    assert.deepEqual(sendingHosts(headers, body).sort(), ["a.example", "b.example:8443", "relay.example"]);
    assert.deepEqual(sendingHosts(new Headers(), { actor: "not a url" }), []);
  });
});

describe("diffJson", () => {
  test("walks objects, compares lists whole, and reports added and removed keys as null", () => {
    const a = { registration: "open", federation: { mode: "open", block: ["x"] }, licences: [] };
    const b = { registration: "open", federation: { mode: "allowlist", block: ["x"], allow: ["y"] }, licences: ["MIT"], contact: "c" };
    assert.deepEqual(diffJson(a, b), [
      { path: "federation.mode", old: "open", new: "allowlist" },
      { path: "federation.allow", old: null, new: ["y"] },
      { path: "licences", old: [], new: ["MIT"] },
      { path: "contact", old: null, new: "c" },
    ]);
    assert.deepEqual(diffJson(a, a), []);
    assert.deepEqual(diffJson(1, 2), [{ path: "(document)", old: 1, new: 2 }]);
    assert.equal(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
    assert.equal(jsonEqual(["a", "b"], ["b", "a"]), false);
  });
});

describe("CharterInput", () => {
  test("normalises hosts and licences, drops duplicates, and fills the defaults", () => {
    const c = CharterInput.parse({
      registration: "invite",
      federation: { mode: "blocklist", block: ["https://Spam.Example/users/x", "spam.example", " 127.0.0.1:3000 "] },
      licences: ["mit", "gpl-3.0-or-later", "MIT"],
    });
    assert.deepEqual(c.federation, { mode: "blocklist", allow: [], block: ["spam.example", "127.0.0.1:3000"] });
    assert.deepEqual(c.licences, ["MIT", "GPL-3.0-or-later"]);
    assert.deepEqual(c.directory, { acceptKinds: ["project", "coop", "design", "facility"], hopLimit: 1 });
    assert.deepEqual(defaultCharter("closed"), { ...c, registration: "closed", federation: { mode: "open", allow: [], block: [] }, licences: [] });
  });
});
