import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createToolLibraryNode, fetchPage } from "./tool-library-node.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { bearer, postUpdate, type TestMember, uploadImage } from "./project-fixtures.ts";

let node: TestNode;
let alice: TestMember;
let bob: TestMember;
let aliceCookies: string;
let bobCookies: string;

before(async () => {
  ({ node, alice, bob, aliceCookies, bobCookies } = await createToolLibraryNode());
});
after(async () => {
  await node.close();
});

const html = (path: string, cookies?: string) => fetchPage(node, path, cookies);

describe("the home page", () => {
  test("lists the node's projects", async () => {
    const { status, document } = await html("/");
    assert.equal(status, 200);
    const link = document.querySelector(".project-list a.project-link");
    assert.equal(link?.getAttribute("href"), "/@tool-library");
    assert.equal(link?.textContent, "Tool Library");
    assert.match(document.querySelector(".project-list .p-note")?.textContent ?? "", /Borrow tools, return them/);
  });
});

describe("the project page", () => {
  let first: { id: string; iri: string };
  let second: { id: string; iri: string };
  before(async () => {
    const image = await uploadImage(node, alice, { description: "A drill on a shelf" });
    first = await postUpdate(node, alice, "tool-library", { content: "First update", images: [image.id] });
    second = await postUpdate(node, alice, "tool-library", { content: "Second update" });
  });

  test("shows name, summary, avatar, tags, location, maintainers, followers and updates", async () => {
    const { status, document } = await html("/@tool-library");
    assert.equal(status, 200);
    assert.equal(document.querySelector("h1.project-name")?.textContent, "Tool Library");
    assert.equal(document.querySelector(".project-summary strong")?.textContent, "tools");
    assert.equal(document.querySelector(".project-summary a.hashtag")?.getAttribute("href"), "https://city-a.test/tags/sharing");
    const avatar = document.querySelector("img.avatar");
    assert.match(avatar?.getAttribute("src") ?? "", /^https:\/\/city-a\.test\/media\/.+\.webp$/);
    assert.equal(avatar?.getAttribute("alt"), "Wrench logo");
    assert.deepEqual([...document.querySelectorAll(".project-tags a")].map((a) => a.textContent), ["#sharing", "#tools"]);
    assert.match(document.querySelector(".project-location")?.textContent ?? "", /Guillotière/);
    assert.equal(document.querySelector(".project-location .project-place")?.textContent, "Lyon, France");
    assert.equal(document.querySelector(".project-location .p-country-name")?.getAttribute("data-country"), "FR");
    assert.equal(document.querySelector(".project-bioregion")?.textContent, "Rhône basin");
    assert.match(document.querySelector(".project-listed")?.textContent ?? "", /^Listed in the directory$/);
    assert.equal(document.querySelector(".project-listed a")?.getAttribute("href"), "/directory");
    assert.equal(document.querySelector(".project-website")?.getAttribute("href"), "https://tools.example/");
    assert.deepEqual([...document.querySelectorAll(".project-maintainers a")].map((a) => a.getAttribute("href")), ["/@alice"]);
    assert.equal(document.querySelector(".followers-count")?.textContent, "0");
    const updates = [...document.querySelectorAll(".project-updates article.update")];
    assert.deepEqual(updates.map((u) => u.querySelector(".update-content")?.textContent), ["Second update", "First update"], "newest first");
    const img = updates[1]!.querySelector("img");
    assert.equal(img?.getAttribute("alt"), "A drill on a shelf");
    assert.equal(updates[0]!.querySelector("a.u-url")?.getAttribute("href"), second.iri);
  });

  test("says when the project is not listed in the directory", async () => {
    await node.http.patch("/api/v1/projects/tool-library").set(...bearer(alice)).send({ listed: false }).expect(200);
    try {
      const { document } = await html("/@tool-library");
      assert.equal(document.querySelector(".project-listed")?.textContent, "Not listed in the directory");
      assert.equal(document.querySelector(".project-listed a"), null);
    } finally {
      await node.http.patch("/api/v1/projects/tool-library").set(...bearer(alice)).send({ listed: true }).expect(200);
    }
  });

  test("has a 'follow from your fediverse account' form", async () => {
    const { document } = await html("/@tool-library");
    const form = document.querySelector(".follow-box form");
    assert.equal(form?.getAttribute("action"), "/authorize_follow");
    assert.equal(form?.getAttribute("method"), "post");
    assert.ok(form?.querySelector('input[name="acct"]'));
    assert.equal(form?.querySelector('input[type="hidden"][name="target"]')?.getAttribute("value"), "https://city-a.test/@tool-library");
    assert.ok(form?.querySelector('input[type="hidden"][name="_csrf"]')?.getAttribute("value"));
  });

  test("puts the pinned update first", async () => {
    await node.http.patch(`/api/v1/projects/tool-library/updates/${first.id}`).set(...bearer(alice)).send({ pinned: true }).expect(200);
    const { document } = await html("/@tool-library");
    const updates = [...document.querySelectorAll(".project-updates article.update")];
    assert.equal(updates[0]!.querySelector(".update-content")?.textContent, "First update");
    assert.ok(updates[0]!.querySelector(".pinned"));
  });

  test("shows maintainer links only to maintainers", async () => {
    assert.ok((await html("/@tool-library", aliceCookies)).document.querySelector('a[href="/projects/tool-library/updates/new"]'));
    assert.equal((await html("/@tool-library", bobCookies)).document.querySelector('a[href="/projects/tool-library/edit"]'), null);
    assert.equal((await html("/@tool-library")).document.querySelector(".maintainer-links"), null);
  });
});

describe("the update page", () => {
  test("shows content, images with alt text, comments and counts", async () => {
    const image = await uploadImage(node, alice, { description: "Saw blades" });
    const update = await postUpdate(node, alice, "tool-library", { content: "New *saws* #tools", images: [image.id] });
    const db = node.database.db;
    const remote = await db
      .insertInto("remote_actors")
      .values({ iri: "https://mastodon.example/users/ana", type: "Person", handle: "ana@mastodon.example", name: "Ana", url: "https://mastodon.example/@ana", inbox: "https://mastodon.example/users/ana/inbox" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("remote_posts")
      .values({ iri: "https://mastodon.example/users/ana/statuses/9", author_remote_actor_id: remote.id, reply_to_note_id: update.id, content_html: "<p>Great saws!</p>", published_at: new Date() })
      .execute();
    await db.insertInto("note_interactions").values({ activity_iri: "https://mastodon.example/like/1", kind: "like", note_id: update.id, remote_actor_id: remote.id }).execute();

    const { status, res, document } = await html(new URL(update.iri).pathname);
    assert.equal(status, 200);
    assert.equal(res.headers.vary, "Accept");
    assert.equal(document.querySelector('link[rel="alternate"][type="application/activity+json"]')?.getAttribute("href"), update.iri);
    assert.equal(document.querySelector(".update-content em")?.textContent, "saws");
    assert.equal(document.querySelector(".update-images img")?.getAttribute("alt"), "Saw blades");
    const replies = [...document.querySelectorAll(".replies li.reply")];
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!.querySelector(".reply-content")?.innerHTML, "<p>Great saws!</p>");
    assert.equal(replies[0]!.querySelector(".reply-author a")?.getAttribute("href"), "https://mastodon.example/@ana");
    assert.equal(document.querySelector(".count-replies")?.textContent, "1 reply");
    assert.equal(document.querySelector(".count-likes")?.textContent, "1 like");
    assert.equal(document.querySelector(".count-boosts")?.textContent, "0 boosts");
  });
});

describe("hashtag pages", () => {
  test("list the projects tagged and the updates using the hashtag; other spellings redirect", async () => {
    await postUpdate(node, alice, "tool-library", { content: "We love #Sharing" });
    const { status, document } = await html("/tags/sharing");
    assert.equal(status, 200);
    assert.equal(document.querySelector("h1.tag-name")?.textContent, "#sharing");
    assert.deepEqual([...document.querySelectorAll(".project-list a.project-link")].map((a) => a.getAttribute("href")), ["/@tool-library"]);
    assert.match(document.querySelector(".tag-updates .update-content")?.textContent ?? "", /We love #Sharing/);
    const redirect = await node.http.get("/tags/Sharing").expect(301);
    assert.equal(redirect.headers.location, "/tags/sharing");
    await node.http.get("/tags/2026").set("Accept", "text/html").expect(404);
  });
});

