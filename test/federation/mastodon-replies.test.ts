import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { followProject, postUpdate, type Scenario, startScenario, updatePage, updateWhen } from "./mastodon-scenario.ts";

/**
 * A Mastodon account replies to, likes and boosts a project's update, edits and deletes its reply
 * and its profile, with the exact activities Mastodon 4.x sends (fixtures F5–F10); the project's
 * update page and API show each change (docs/mastodon.md#replies).
 */

const XSS_HTML =
  'xss-probe <script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a> ' +
  '<span onclick="alert(4)" style="color:red">styled</span><iframe src="http://127.0.0.1:9/evil"></iframe>' +
  '<a href="https://ok.example/" onmouseover="alert(5)">fine link</a>';

function replyContents(page: Document): string[] {
  return [...page.querySelectorAll(".replies .reply-content")].map((e) => e.innerHTML);
}

describe(`a Mastodon account replies to, likes and boosts an update (${ENGINE_LABEL})`, () => {
  let s: Scenario;
  let update: { id: string; iri: string };
  let reply: string;

  before(async () => {
    s = await startScenario();
    await followProject(s);
    update = await postUpdate(s, { content: "Roof survey on Saturday: who can help?" });
  });
  after(async () => {
    await s?.close();
  });

  test("Alice's reply (F7) shows under the update, counted, on the API and the page", async () => {
    const sent = await s.fake.reply(update.iri, s.project.iri, "Count me in for the roof survey on Saturday!");
    assert.deepEqual(sent.results.map((r) => [r.status, r.inbox]), [[202, `${s.node.origin}/inbox`]], "Mastodon delivers the reply once, to our shared inbox");
    reply = sent.uri;
    const view = await updateWhen(s, update.id, "the reply to show", (u) => u.counts.replies === 1);
    assert.equal(view.replies.length, 1);
    assert.equal(view.replies[0]!.iri, reply);
    assert.equal(view.replies[0]!.author.acct, `alice@${s.fake.domain}`);
    assert.match(view.replies[0]!.contentHtml, /Count me in for the roof survey on Saturday!/);
    const page = await updatePage(s, update.id);
    assert.equal(replyContents(page).length, 1);
    assert.match(replyContents(page)[0]!, /Count me in for the roof survey on Saturday!/);
    assert.match(page.querySelector(".count-replies")?.textContent ?? "", /1 repl/);
  });

  test("a Like (F5) at the Group's inbox and a boost (F6) at the shared inbox are counted", async () => {
    const like = await s.fake.like(update.iri);
    assert.equal(like.status, 202, like.text);
    assert.equal(like.inbox, `${s.project.iri}/inbox`, "Mastodon sends Likes to the author's personal inbox");
    const boost = await s.fake.announce(update.iri);
    assert.equal(boost.status, 202, boost.text);
    assert.equal(boost.inbox, `${s.node.origin}/inbox`);
    const view = await updateWhen(s, update.id, "likes 1 and boosts 1", (u) => u.counts.likes === 1 && u.counts.boosts === 1);
    assert.equal(view.counts.replies, 1);
    const page = await updatePage(s, update.id);
    assert.match(page.querySelector(".count-likes")?.textContent ?? "", /1 like/);
    assert.match(page.querySelector(".count-boosts")?.textContent ?? "", /1 boost/);
  });

  test("Undo{Like} and Undo{Announce} take them back", async () => {
    assert.equal((await s.fake.undoLike(update.iri)).status, 202);
    await updateWhen(s, update.id, "likes back to 0", (u) => u.counts.likes === 0 && u.counts.boosts === 1);
    assert.equal((await s.fake.undoAnnounce(update.iri)).status, 202);
    await updateWhen(s, update.id, "boosts back to 0", (u) => u.counts.likes === 0 && u.counts.boosts === 0);
  });

  test("an edit of the reply (Update with a newer `updated`) replaces its text", async () => {
    const sent = await s.fake.editReply(reply, "Count me in, and I will bring a ladder.");
    assert.equal(sent.results[0]?.status, 202, sent.results[0]?.text);
    const view = await updateWhen(s, update.id, "the edited reply", (u) => /bring a ladder/.test(u.replies[0]?.contentHtml ?? ""));
    assert.equal(view.counts.replies, 1);
    assert.doesNotMatch(view.replies[0]!.contentHtml, /Saturday!/);
    assert.match(replyContents(await updatePage(s, update.id))[0]!, /bring a ladder/);
  });

  test("Alice's profile edit (F10 Update{Person}) renames her on the reply", async () => {
    const results = await s.fake.updateProfile({ displayName: "Alice Liddell" });
    assert.deepEqual(results.map((r) => r.status), [202]);
    const view = await updateWhen(s, update.id, "the reply's author renamed", (u) => u.replies[0]?.author.name === "Alice Liddell");
    assert.equal(view.replies[0]!.author.acct, `alice@${s.fake.domain}`);
  });

  test("Delete{Tombstone} (F9) removes the reply from the API and the page", async () => {
    const sent = await s.fake.deleteReply(reply);
    assert.equal(sent.results[0]?.status, 202, sent.results[0]?.text);
    await updateWhen(s, update.id, "the reply to go", (u) => u.replies.length === 0 && u.counts.replies === 0);
    const page = await updatePage(s, update.id);
    assert.deepEqual(replyContents(page), []);
    assert.doesNotMatch(page.body.textContent ?? "", /bring a ladder/);
  });

  test("script, event handlers, javascript: links and iframes in a reply are neutralised", async () => {
    const sent = await s.fake.reply(update.iri, s.project.iri, "", { html: XSS_HTML });
    assert.equal(sent.results[0]?.status, 202, sent.results[0]?.text);
    const view = await updateWhen(s, update.id, "the hostile reply", (u) => u.replies.some((r) => /xss-probe/.test(r.contentHtml)));
    const html = view.replies.find((r) => /xss-probe/.test(r.contentHtml))!.contentHtml;
    for (const bad of [/<script/i, /<img/i, /<iframe/i, /\son[a-z]+\s*=/i, /javascript:/i, /style\s*=/i]) assert.doesNotMatch(html, bad, `API contentHtml keeps ${bad}: ${html}`);
    assert.match(html, /fine link/);
    const page = await updatePage(s, update.id);
    const content = [...page.querySelectorAll(".replies .reply-content")].find((e) => /xss-probe/.test(e.textContent ?? ""));
    assert.ok(content, "the hostile reply is on the page");
    assert.equal(content.querySelectorAll("script, img, iframe, object, embed, style").length, 0);
    for (const element of content.querySelectorAll("*")) {
      for (const attribute of element.getAttributeNames()) assert.doesNotMatch(attribute, /^(on|style$)/i, `<${element.tagName}> keeps ${attribute}`);
    }
    for (const link of content.querySelectorAll("a[href]")) assert.match(link.getAttribute("href")!, /^https?:/);
    assert.equal(page.querySelectorAll("script").length, 0, "the page has no script at all (CSP: script-src 'self', none inline)");
  });
});
