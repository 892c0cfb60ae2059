import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { createToolLibraryNode, fetchPage } from "./tool-library-node.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { asArray, createProject, CSRF_TOKEN, lastOutboxId, outboxRows, pngBytes, postUpdate, type TestMember } from "./project-fixtures.ts";

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

describe("the project forms", () => {
  const form = (path: string, cookies: string) => node.http.post(path).set("Cookie", cookies).type("form");

  test("the new project form needs a signed-in member and carries the CSRF field", async () => {
    const anonymous = await node.http.get("/projects/new").set("Accept", "text/html").expect(303);
    assert.match(anonymous.headers.location!, /^\/login\?next=/);
    const { status, document } = await html("/projects/new", aliceCookies);
    assert.equal(status, 200);
    const f = document.querySelector("form.project-form");
    assert.equal(f?.getAttribute("action"), "/projects/new");
    assert.equal(f?.querySelector('input[name="_csrf"]')?.getAttribute("value"), CSRF_TOKEN);
    for (const name of ["handle", "name", "tags", "latitude", "longitude", "website", "avatar", "banner"]) assert.ok(f?.querySelector(`[name="${name}"]`), name);
    assert.ok(f?.querySelector('textarea[name="summary"]'));
  });

  test("bad input re-renders with 422, messages and the typed values", async () => {
    const res = await form("/projects/new", aliceCookies).send({ _csrf: CSRF_TOKEN, handle: "bad handle", name: "", tags: "ok, 2026", latitude: "95", longitude: "" });
    assert.equal(res.status, 422);
    const { document } = parseHTML(res.text);
    assert.ok(document.querySelector(".error-summary"));
    assert.match(document.querySelector("#handle-error")?.textContent ?? "", /may contain letters/);
    assert.match(document.querySelector("#name-error")?.textContent ?? "", /must not be empty/);
    assert.match(document.querySelector("#tags-error")?.textContent ?? "", /"2026" is not a tag/);
    assert.match(document.querySelector("#latitude-error")?.textContent ?? "", /between -90 and 90/);
    assert.equal(document.querySelector('input[name="handle"]')?.getAttribute("value"), "bad handle");
  });

  test("a taken handle re-renders with the message", async () => {
    const res = await form("/projects/new", aliceCookies).send({ _csrf: CSRF_TOKEN, handle: "bob", name: "Bob's" });
    assert.equal(res.status, 409);
    assert.match(parseHTML(res.text).document.querySelector("#handle-error")?.textContent ?? "", /already taken/);
  });

  test("without the CSRF field the form is refused", async () => {
    await form("/projects/new", aliceCookies).send({ handle: "no-csrf", name: "No CSRF" }).expect(403);
  });

  test("a valid form creates the project, with an uploaded avatar, and redirects to its page", async () => {
    const res = await node.http
      .post("/projects/new")
      .set("Cookie", aliceCookies)
      .field("_csrf", CSRF_TOKEN)
      .field("handle", "seed-bank")
      .field("name", "Seed Bank")
      .field("summary", "Seeds for *everyone*")
      .field("tags", "seeds, gardening")
      .field("locationName", "Lyon")
      .field("latitude", "45.76")
      .field("longitude", "4.83")
      .field("website", "")
      .attach("avatar", await pngBytes(), { filename: "logo.png", contentType: "image/png" })
      .expect(303);
    assert.equal(res.headers.location, "/@seed-bank");
    const project = await node.http.get("/api/v1/projects/seed-bank").expect(200);
    assert.deepEqual(project.body.tags, ["seeds", "gardening"]);
    assert.deepEqual(project.body.location, { name: "Lyon", latitude: 45.76, longitude: 4.83 });
    assert.ok(project.body.avatar?.url);
    assert.equal(project.body.maintainers[0].handle, "alice");
  });

  test("a file that is not an image re-renders the form with a message", async () => {
    const res = await node.http
      .post("/projects/new")
      .set("Cookie", aliceCookies)
      .field("_csrf", CSRF_TOKEN)
      .field("handle", "not-image")
      .field("name", "Not an image")
      .attach("avatar", Buffer.from("%PDF-1.4 not an image"), { filename: "x.png", contentType: "image/png" });
    assert.equal(res.status, 422);
    assert.match(parseHTML(res.text).document.querySelector("#avatar-error")?.textContent ?? "", /not an image/);
    await node.http.get("/api/v1/projects/not-image").expect(404);
  });

  test("the edit form changes and archives a project; non-maintainers get 403", async () => {
    const page = await html("/projects/tool-library/edit", aliceCookies);
    assert.equal(page.status, 200);
    assert.equal(page.document.querySelector('input[name="name"]')?.getAttribute("value"), "Tool Library");
    assert.equal(page.document.querySelector('input[name="handle"]'), null, "the handle cannot change");
    assert.equal((await html("/projects/tool-library/edit", bobCookies)).status, 403);

    const before = await lastOutboxId(node);
    const res = await form("/projects/tool-library/edit", aliceCookies).send({
      _csrf: CSRF_TOKEN,
      name: "Tool Library Lyon",
      summary: "Borrow tools.",
      tags: "tools",
      locationName: "",
      latitude: "",
      longitude: "",
      website: "https://tools.example/",
      archived: "true",
    });
    assert.equal(res.status, 303);
    const project = await node.http.get("/api/v1/projects/tool-library").expect(200);
    assert.equal(project.body.name, "Tool Library Lyon");
    assert.equal(project.body.location, null);
    assert.equal(project.body.archived, true);
    const rows = await outboxRows(node, before);
    assert.deepEqual(rows.map((r) => r.activity.type), ["Update"]);
    assert.match((await html("/@tool-library")).document.querySelector(".archived-notice")?.textContent ?? "", /archived/);
    const bad = await form("/projects/tool-library/edit", aliceCookies).send({ _csrf: CSRF_TOKEN, name: "", summary: "", tags: "", website: "nope" });
    assert.equal(bad.status, 422);
    assert.match(parseHTML(bad.text).document.querySelector("#website-error")?.textContent ?? "", /http or https/);
    await form("/projects/tool-library/edit", aliceCookies).send({ _csrf: CSRF_TOKEN, name: "Tool Library Lyon", archived: "" }).expect(303);
  });

  test("maintainers add maintainers from the edit page", async () => {
    const res = await form("/projects/tool-library/maintainers", aliceCookies).send({ _csrf: CSRF_TOKEN, maintainer: "bob" });
    assert.equal(res.status, 303);
    const unknown = await form("/projects/tool-library/maintainers", aliceCookies).send({ _csrf: CSRF_TOKEN, maintainer: "nobody" });
    assert.equal(unknown.status, 422);
    assert.match(parseHTML(unknown.text).document.querySelector("#maintainer-error")?.textContent ?? "", /no active member/);
  });
});

describe("the update forms", () => {
  before(async () => {
    await createProject(node, alice, { handle: "makerspace", name: "Makerspace" });
  });

  test("posting with an image and alt text goes through the media pipeline and sends one Create", async () => {
    const page = await html("/projects/makerspace/updates/new", aliceCookies);
    assert.equal(page.status, 200);
    assert.equal(page.document.querySelectorAll('input[type="file"]').length, 4);
    assert.ok(page.document.querySelector('input[name="alt0"]'));
    assert.ok(page.document.querySelector('textarea[name="content"]'));

    const before = await lastOutboxId(node);
    const res = await node.http
      .post("/projects/makerspace/updates/new")
      .set("Cookie", aliceCookies)
      .field("_csrf", CSRF_TOKEN)
      .field("content", "Laser cutter is back #making")
      .field("alt0", "A laser cutter")
      .attach("image0", await pngBytes(80, 60), { filename: "laser.png", contentType: "image/png" })
      .expect(303);
    assert.match(res.headers.location!, /^\/@makerspace\/updates\/[0-9a-f-]{36}$/);
    const rows = await outboxRows(node, before);
    assert.equal(rows.length, 1);
    const note = (rows[0]!.activity as Record<string, any>).object;
    const [image] = asArray(note.attachment);
    assert.equal(image.name, "A laser cutter");
    assert.equal(image.width, 80);
    assert.equal(image.mediaType, "image/webp");
    const shown = await html(res.headers.location!);
    assert.equal(shown.document.querySelector(".update-images img")?.getAttribute("alt"), "A laser cutter");
  });

  test("empty content re-renders with 422; a non-maintainer gets 403", async () => {
    const res = await node.http.post("/projects/makerspace/updates/new").set("Cookie", aliceCookies).type("form").send({ _csrf: CSRF_TOKEN, content: "  " });
    assert.equal(res.status, 422);
    assert.match(parseHTML(res.text).document.querySelector("#content-error")?.textContent ?? "", /must not be empty/);
    await node.http.post("/projects/makerspace/updates/new").set("Cookie", bobCookies).type("form").send({ _csrf: CSRF_TOKEN, content: "hi" }).expect(403);
    await node.http.get("/projects/makerspace/updates/new").set("Cookie", bobCookies).expect(403);
  });

  test("edit, pin and delete work from the update page's forms", async () => {
    const update = await postUpdate(node, alice, "makerspace", { content: "Draft" });
    const base = `/projects/makerspace/updates/${update.id}`;
    const page = await html(new URL(update.iri).pathname, aliceCookies);
    assert.equal(page.document.querySelector(`form[action="${base}/delete"] input[name="_csrf"]`)?.getAttribute("value"), CSRF_TOKEN);
    assert.ok(page.document.querySelector(`a[href="${base}/edit"]`));

    const before = await lastOutboxId(node);
    await node.http.post(`${base}/edit`).set("Cookie", aliceCookies).type("form").send({ _csrf: CSRF_TOKEN, content: "Final" }).expect(303);
    await node.http.post(`${base}/pin`).set("Cookie", aliceCookies).type("form").send({ _csrf: CSRF_TOKEN, pinned: "true" }).expect(303);
    await node.http.post(`${base}/delete`).set("Cookie", aliceCookies).type("form").send({ _csrf: CSRF_TOKEN }).expect(303);
    assert.deepEqual((await outboxRows(node, before)).map((r) => r.activity.type), ["Update", "Add", "Delete"]);
    assert.equal((await html(new URL(update.iri).pathname)).status, 410);
  });
});
