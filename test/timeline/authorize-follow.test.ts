import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import request from "supertest";
import type { ResourceDescriptor, WebFingerLookup } from "../../federation/remote-follow.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { authorizeFollowApp } from "./helpers/authorize-follow-app.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, createProjectOf } from "../inbox/helpers/inbox-env.ts";

let node: TestNode;
let app: ReturnType<typeof request>;
const lookups: string[] = [];
const answers = new Map<string, ResourceDescriptor>();
const TOKEN = "t".repeat(43);
const SUBSCRIBE = "http://ostatus.org/schema/1.0/subscribe";

/** A fake WebFinger: acct:alice@mastodon.example has Mastodon's subscribe template; others are set per test. */
const fakeLookup: WebFingerLookup = async (resource) => {
  lookups.push(resource);
  return answers.get(resource) ?? null;
};

before(async () => {
  node = await createTestNode();
  app = authorizeFollowApp(node, fakeLookup);
  answers.set("acct:alice@mastodon.example", {
    subject: "acct:alice@mastodon.example",
    links: [
      { rel: "self", type: "application/activity+json", href: "https://mastodon.example/users/alice" },
      { rel: SUBSCRIBE, template: "https://mastodon.example/authorize_interaction?uri={uri}" },
    ],
  });
  answers.set("acct:nolink@plain.example", { subject: "acct:nolink@plain.example", links: [{ rel: "self", type: "application/activity+json", href: "https://plain.example/u/nolink" }] });
  answers.set("acct:evil@evil.example", { subject: "acct:evil@evil.example", links: [{ rel: SUBSCRIBE, template: "javascript:alert(document.cookie)//{uri}" }] });
});
after(async () => {
  await node.close();
});

const target = () => `${node.config.publicUrl.origin}/@bikekitchen`;

function submit(fields: Record<string, string>, csrf = TOKEN) {
  return app
    .post("/authorize_follow")
    .set("Cookie", `cn_csrf=${TOKEN}`)
    .type("form")
    .send({ _csrf: csrf, ...fields });
}

function errorsOf(text: string): string[] {
  const { document } = parseHTML(text);
  return [...document.querySelectorAll(".error-summary li, .field-error")].map((e) => e.textContent?.trim() ?? "");
}

describe(`"Follow from your fediverse account" on ${ENGINE_LABEL}`, () => {
  test("sends the visitor to their server's subscribe template with our actor IRI encoded (303)", async () => {
    const res = await submit({ acct: "@alice@mastodon.example", target: target() });
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, `https://mastodon.example/authorize_interaction?uri=${encodeURIComponent(target())}`);
    assert.equal(lookups.at(-1), "acct:alice@mastodon.example");
    const bare = await submit({ acct: "alice@Mastodon.Example", target: target() });
    assert.equal(bare.status, 303);
  });

  test("an unknown account, a server without a subscribe template, or a non-web template re-render with 422", async () => {
    const unknown = await submit({ acct: "@ghost@mastodon.example", target: target() });
    assert.equal(unknown.status, 422);
    assert.ok(errorsOf(unknown.text).includes("No fediverse account found for @ghost@mastodon.example."));
    assert.equal(parseHTML(unknown.text).document.querySelector("#acct")?.getAttribute("value"), "@ghost@mastodon.example");

    const noLink = await submit({ acct: "nolink@plain.example", target: target() });
    assert.equal(noLink.status, 422);
    assert.match(errorsOf(noLink.text).join(" "), /does not offer following from other sites/);

    const evil = await submit({ acct: "evil@evil.example", target: target() });
    assert.equal(evil.status, 422);
    assert.equal(evil.headers.location, undefined);
  });

  test("invalid input is refused before any lookup: not a handle, a target elsewhere, a missing CSRF token", async () => {
    const before = lookups.length;
    const notHandle = await submit({ acct: "https://mastodon.example/@alice", target: target() });
    assert.equal(notHandle.status, 422);
    assert.match(errorsOf(notHandle.text).join(" "), /must be your fediverse handle/);
    const script = await submit({ acct: "<script>@x.example", target: target() });
    assert.equal(script.status, 422);
    assert.doesNotMatch(script.text, /<script>@x/);
    const elsewhere = await submit({ acct: "alice@mastodon.example", target: "https://other.example/@someone" });
    assert.equal(elsewhere.status, 422);
    const badTarget = await submit({ acct: "alice@mastodon.example", target: "javascript:alert(1)" });
    assert.equal(badTarget.status, 422);
    assert.equal(lookups.length, before);
    const forged = await submit({ acct: "alice@mastodon.example", target: target() }, "x".repeat(43));
    assert.equal(forged.status, 403);
  });

  test("the node's own route renders the form, and refuses private hosts without looking them up", async () => {
    const page = await node.http.get(`/authorize_follow?target=${encodeURIComponent(target())}`);
    assert.equal(page.status, 200);
    const { document } = parseHTML(page.text);
    assert.equal(document.querySelector('form[action="/authorize_follow"] input[name="target"]')?.getAttribute("value"), target());
    const csrf = document.querySelector('input[name="_csrf"]')?.getAttribute("value") ?? "";
    const cookie = String(page.headers["set-cookie"]).split(";")[0]!;
    const res = await node.http.post("/authorize_follow").set("Cookie", cookie).type("form").send({ _csrf: csrf, acct: "alice@127.0.0.1", target: target() });
    assert.equal(res.status, 422);
    assert.ok(errorsOf(res.text).includes("No fediverse account found for @alice@127.0.0.1."));
  });

  test("the project page's follow box posts the fields this route reads", async () => {
    const maria = await createMember(node, "maria");
    await createProjectOf(node, maria, "bikekitchen");
    const page = await node.http.get("/@bikekitchen").set("Accept", "text/html");
    assert.equal(page.status, 200);
    const form = parseHTML(page.text).document.querySelector('form[action="/authorize_follow"]');
    assert.ok(form, "the project page has the follow box");
    const fields: Record<string, string> = {};
    for (const input of form.querySelectorAll("input")) fields[input.getAttribute("name") ?? ""] = input.getAttribute("value") ?? "";
    assert.equal(fields.target, target());
    const csrf = fields._csrf ?? "";
    const res = await app
      .post("/authorize_follow")
      .set("Cookie", `cn_csrf=${csrf}`)
      .type("form")
      .send({ ...fields, acct: "@alice@mastodon.example" });
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, `https://mastodon.example/authorize_interaction?uri=${encodeURIComponent(target())}`);
  });
});
