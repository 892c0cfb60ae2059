import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { hashtagsInHtml, normalizeHashtag, renderMarkdown } from "../../server/platform/text/markdown.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { AP, asArray, bearer, createMember, createProject, lastOutboxId, outboxRows, postUpdate, type TestMember } from "./project-fixtures.ts";

const TAGS = new URL("https://city-a.test/tags/");
const render = (source: string) => renderMarkdown(source, { tagBaseUrl: TAGS });

/** Elements and attributes Mastodon keeps (lib/sanitize_ext/sanitize_config.rb, docs/mastodon.md#html). */
const ALLOWED = new Set(["P", "BR", "SPAN", "A", "DEL", "S", "PRE", "BLOCKQUOTE", "CODE", "B", "STRONG", "U", "I", "EM", "UL", "OL", "LI", "RUBY", "RT", "RP"]);

function assertMastodonSubset(html: string): void {
  const { document } = parseHTML(`<div id="root">${html}</div>`);
  for (const element of document.querySelectorAll("#root *")) {
    assert.ok(ALLOWED.has(element.tagName), `<${element.tagName.toLowerCase()}> is not in Mastodon's subset: ${html}`);
    for (const attribute of element.attributes) {
      assert.ok(!attribute.name.startsWith("on"), `event handler ${attribute.name}`);
      if (attribute.name === "href") assert.match(attribute.value, /^https?:\/\//, `href ${attribute.value}`);
    }
  }
}

const XSS_SOURCES = [
  "<script>alert(1)</script>",
  "[click](javascript:alert(1))",
  "[click](JaVaScRiPt:alert(1))",
  "[data](data:text/html;base64,PHNjcmlwdD4=)",
  '<img src=x onerror="alert(1)">',
  "<a href=\"javascript:alert(1)\">raw link</a>",
  "<iframe src=https://evil.example></iframe>",
  "![img](javascript:alert(1))",
  "<svg><script>alert(1)</script></svg>",
  "[relative](/admin)",
  "<style>body{display:none}</style>",
  '<div style="x" onclick="alert(1)">div</div>',
];

describe("Markdown to Mastodon's HTML subset", () => {
  test("renders emphasis, links, lists, quotes and code; headings become bold paragraphs", () => {
    const { html } = render("# Title\n\nSome *em* and **strong**, ~~gone~~.\n\n- one\n- two\n\n> quoted\n\n`code` and https://example.org\nnext line");
    assert.equal(
      html,
      "<p><strong>Title</strong></p><p>Some <em>em</em> and <strong>strong</strong>, <s>gone</s>.</p><ul><li>one</li><li>two</li></ul>" +
        '<blockquote><p>quoted</p></blockquote><p><code>code</code> and <a href="https://example.org" rel="nofollow noopener noreferrer ugc">https://example.org</a><br />next line</p>',
    );
    assertMastodonSubset(html);
  });

  test("hashtags become Mastodon-style links, not inside code or links", () => {
    const { html, hashtags } = render("Join #SolarPanels and #Café! `#notatag` [#linked](https://x.example) #2026 a#b");
    assert.match(html, /<a href="https:\/\/city-a\.test\/tags\/solarpanels" class="mention hashtag" rel="tag">#<span>SolarPanels<\/span><\/a>/);
    assert.match(html, /<a href="https:\/\/city-a\.test\/tags\/cafe" class="mention hashtag" rel="tag">#<span>Café<\/span><\/a>/);
    assert.match(html, /<code>#notatag<\/code>/);
    assert.match(html, /rel="nofollow noopener noreferrer ugc">#linked<\/a>/);
    assert.match(html, / #2026 a#b/);
    assert.deepEqual(hashtags, ["solarpanels", "cafe"]);
    assert.deepEqual(hashtagsInHtml(html), ["solarpanels", "cafe"]);
  });

  test("hashtag names are normalised as Mastodon does", () => {
    assert.equal(normalizeHashtag("#Open-Source"), "opensource");
    assert.equal(normalizeHashtag("Ｆｕｌｌｗｉｄｔｈ"), "fullwidth");
    assert.equal(normalizeHashtag("Éco_Lieu"), "eco_lieu");
    assert.equal(normalizeHashtag("2026"), null);
    assert.equal(normalizeHashtag("#"), null);
  });

  for (const source of XSS_SOURCES) {
    test(`neutralises ${JSON.stringify(source)}`, () => {
      const { html } = render(source);
      assertMastodonSubset(html);
      // Raw HTML may remain as escaped text (`&lt;script&gt;`), never as markup.
      assert.doesNotMatch(html, /<(?:script|iframe|img|style|svg|div)\b|<a\b[^>]*href="(?!https?:)/i);
    });
  }
});

describe("XSS in stored and served project HTML", () => {
  let node: TestNode;
  let alice: TestMember;
  before(async () => {
    node = await createTestNode();
    alice = await createMember(node, "alice");
  });
  after(async () => {
    await node.close();
  });

  const payload = XSS_SOURCES.join("\n\n");

  test("a project summary is neutralised in the API, the Group and the page", async () => {
    await createProject(node, alice, { handle: "xss-project", name: '<img src=x onerror="alert(1)">', summary: payload });
    const api = await node.http.get("/api/v1/projects/xss-project").expect(200);
    assertMastodonSubset(api.body.summaryHtml);
    const actor = JSON.parse((await node.http.get("/@xss-project").set("Accept", AP).expect(200)).text);
    assertMastodonSubset(actor.summary);
    const page = await node.http.get("/@xss-project").set("Accept", "text/html").expect(200);
    const { document } = parseHTML(page.text);
    assert.equal(document.querySelectorAll("main script, main iframe, main style, main svg").length, 0);
    assert.equal(document.querySelectorAll("main [onerror], main [onclick]").length, 0);
    assert.equal(document.querySelectorAll('main a[href^="javascript:" i]').length, 0);
    assert.equal(document.querySelector("h1.project-name")?.textContent, '<img src=x onerror="alert(1)">', "the name is text");
  });

  test("an update's content is neutralised in the stored Note, the API and the page", async () => {
    const before = await lastOutboxId(node);
    const update = await postUpdate(node, alice, "xss-project", { content: payload });
    const [row] = await outboxRows(node, before);
    const note = (row!.activity as Record<string, any>).object;
    assertMastodonSubset(note.content);
    const stored = await node.database.db.selectFrom("notes").select("content_html").where("id", "=", update.id).executeTakeFirstOrThrow();
    assertMastodonSubset(stored.content_html);
    const api = await node.http.get(`/api/v1/projects/xss-project/updates/${update.id}`).expect(200);
    assertMastodonSubset(api.body.contentHtml);
    const page = await node.http.get(new URL(update.iri).pathname).set("Accept", "text/html").expect(200);
    const { document } = parseHTML(page.text);
    const content = document.querySelector(".update-content")!;
    assertMastodonSubset(content.innerHTML);
    assert.match(content.textContent ?? "", /<script>alert\(1\)<\/script>/, "raw HTML shows as text");
    assert.ok(asArray(note.tag).length === 0);
  });

  test("remote replies are sanitised again when shown", async () => {
    const update = await postUpdate(node, alice, "xss-project", { content: "Reply here" });
    const db = node.database.db;
    const remote = await db
      .insertInto("remote_actors")
      .values({ iri: "https://evil.example/users/mallory", type: "Person", handle: "mallory@evil.example", name: "<b>Mallory</b>", inbox: "https://evil.example/inbox" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("remote_posts")
      .values({ iri: "https://evil.example/notes/1", author_remote_actor_id: remote.id, reply_to_note_id: update.id, content_html: '<p>hi<script>alert(1)</script><img src=x onerror=alert(1)></p>', published_at: new Date() })
      .execute();
    const page = await node.http.get(new URL(update.iri).pathname).set("Accept", "text/html").expect(200);
    const { document } = parseHTML(page.text);
    const reply = document.querySelector(".reply-content")!;
    assert.equal(reply.innerHTML, "<p>hi</p>");
    assert.equal(document.querySelector(".reply-author .p-name")?.textContent, "<b>Mallory</b>");
    await node.http.get(`/api/v1/projects/xss-project/updates/${update.id}`).set(...bearer(alice)).expect(200);
  });
});
