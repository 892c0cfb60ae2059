import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import type { TestNode } from "../helpers/test-node.ts";
import { AP, CSRF_TOKEN, pngBytes } from "../projects/project-fixtures.ts";
import { fetchPage } from "../projects/tool-library-node.ts";
import { CreateDesignSchema } from "../../server/modules/designs/index.ts";
import { createDesignPagesNode } from "./design-pages-node.ts";

let node: TestNode;
let aliceCookies: string;
let bobCookies: string;

before(async () => {
  ({ node, aliceCookies, bobCookies } = await createDesignPagesNode());
});
after(async () => {
  await node.close();
});

const html = (path: string, cookies?: string) => fetchPage(node, path, cookies);
const texts = (document: Document, selector: string) => [...document.querySelectorAll(selector)].map((e) => e.textContent?.trim());

describe("the home page", () => {
  test("lists the node's designs with their licence and newest version", async () => {
    const { document } = await html("/");
    const item = [...document.querySelectorAll(".design-list .design-item")].find((li) => li.querySelector(".design-link")?.textContent === "Solar Dryer");
    assert.equal(item?.querySelector(".design-link")?.getAttribute("href"), "/@solar-dryer");
    assert.equal(item?.querySelector(".licence-badge")?.textContent, "CERN-OHL-S-2.0");
    assert.match(item?.querySelector(".design-item-version")?.textContent ?? "", /^Version \d/);
  });
});

describe("the design page", () => {
  test("shows what the design is, its licences, licensor, project, maintainers and releases newest first", async () => {
    const { status, res, document } = await html("/@solar-dryer");
    assert.equal(status, 200);
    assert.equal(res.headers.vary, "Accept");
    assert.equal(document.querySelector("h1.design-name")?.textContent, "Solar Dryer");
    assert.equal(document.querySelector('link[rel="alternate"][type="application/activity+json"]')?.getAttribute("href"), "https://city-a.test/@solar-dryer");
    assert.equal(document.querySelector(".design-summary strong")?.textContent, "sunlight");
    const badge = document.querySelector(".design-header a.licence-badge");
    assert.equal(badge?.textContent, "CERN-OHL-S-2.0");
    assert.equal(badge?.getAttribute("href"), "https://spdx.org/licenses/CERN-OHL-S-2.0.html");
    assert.equal(badge?.getAttribute("rel"), "license");
    assert.equal(document.querySelector(".design-doc-licence a.licence-badge")?.textContent, "CC-BY-SA-4.0");
    assert.equal(document.querySelector(".design-licensor")?.textContent, "Food Lab Lyon");
    assert.equal(document.querySelector(".design-function")?.textContent, "Dries food without electricity");
    assert.equal(document.querySelector("a.design-project")?.getAttribute("href"), "/@food-lab");
    assert.deepEqual(texts(document, ".design-tags a"), ["#solar", "#food"]);
    assert.deepEqual([...document.querySelectorAll(".design-maintainers a")].map((a) => a.getAttribute("href")), ["/@alice"]);
    assert.deepEqual(texts(document, ".release-list .release-link"), ["Version 1.1.0", "Version 1.0.0"]);
    assert.equal(document.querySelector(".release-list .release-link")?.getAttribute("href"), "/@solar-dryer/releases/1.1.0");
    assert.match(document.querySelectorAll(".release-item")[1]?.textContent ?? "", /2 files/);
    assert.equal(document.querySelector("#latest-heading")?.textContent, "Files of version 1.1.0");
    assert.deepEqual(texts(document, ".latest-release .release-file .file-link"), ["manual.pdf"]);
    assert.equal(document.querySelector(".latest-release .file-icon")?.getAttribute("data-kind"), "document");
    assert.equal(document.querySelector(".latest-release .file-size")?.textContent, "15 B");
    assert.equal(document.querySelector(".forks-empty")?.textContent, "No forks yet.");
    assert.equal(document.querySelector(".made-count")?.textContent, "0 builds");
  });

  test("has the follow box for fediverse accounts, and the release link for maintainers only", async () => {
    const { document } = await html("/@solar-dryer");
    const form = document.querySelector(".follow-box form");
    assert.equal(form?.getAttribute("action"), "/authorize_follow");
    assert.equal(form?.querySelector('input[name="target"]')?.getAttribute("value"), "https://city-a.test/@solar-dryer");
    assert.match(document.querySelector(".follow-box .handle")?.textContent ?? "", /^@solar-dryer@city-a\.test$/);
    assert.equal(document.querySelector('a[href="/@solar-dryer/releases/new"]'), null);
    assert.ok((await html("/@solar-dryer", aliceCookies)).document.querySelector('a[href="/@solar-dryer/releases/new"]'));
    assert.equal((await html("/@solar-dryer", bobCookies)).document.querySelector('a[href="/@solar-dryer/releases/new"]'), null);
  });

  test("is the Service actor for ActivityPub clients on the same URL", async () => {
    const res = await node.http.get("/@solar-dryer").set("Accept", AP).expect(200);
    const actor = JSON.parse(res.text);
    assert.equal(actor.type, "Service");
    assert.equal(actor.id, "https://city-a.test/@solar-dryer");
  });
});

describe("the release page", () => {
  test("shows version, date, notes, readiness, licence and the bill of materials", async () => {
    const { status, document } = await html("/@solar-dryer/releases/1.0.0");
    assert.equal(status, 200);
    assert.equal(document.querySelector(".release-version")?.textContent, "1.0.0");
    assert.match(document.querySelector("time.release-date")?.getAttribute("datetime") ?? "", /^\d{4}-\d\d-\d\dT/);
    assert.equal(document.querySelector(".release-notes em")?.textContent, "release");
    assert.equal(document.querySelector(".release-trl")?.textContent, "OTRL-4: Prototyping and testing");
    assert.equal(document.querySelector(".release-drl")?.textContent, "ODRL-3: Full documentation published");
    assert.equal(document.querySelector("a.release-licence")?.getAttribute("href"), "https://spdx.org/licenses/CERN-OHL-S-2.0.html");
    assert.equal(document.querySelector("a.release-design")?.getAttribute("href"), "/@solar-dryer");
    const rows = [...document.querySelectorAll("table.bom tbody tr")];
    assert.equal(rows.length, 2);
    assert.deepEqual([...rows[0]!.querySelectorAll("td")].map((td) => td.textContent?.trim()), ["Plywood sheet", "2", "sheet", "birch", "Bricomarché", "shop.example"]);
    assert.equal(rows[0]!.querySelector(".bom-link a")?.getAttribute("href"), "https://shop.example/plywood");
    assert.deepEqual([...rows[1]!.querySelectorAll("td")].map((td) => td.textContent?.trim()), ["Screws", "40", "pcs", "", "", ""]);
  });

  test("lists files with human-readable sizes, a preview with alt text for the image and an icon for the rest", async () => {
    const { document } = await html("/@solar-dryer/releases/1.0.0");
    const files = [...document.querySelectorAll(".release-file")];
    assert.deepEqual(files.map((f) => f.querySelector(".file-link")?.textContent), ["photo.png", "frame.step"]);
    const photo = files[0]!;
    const preview = photo.querySelector("img.file-preview");
    assert.equal(preview?.getAttribute("alt"), "Preview of photo.png");
    assert.equal(preview?.getAttribute("src"), "https://city-a.test/@solar-dryer/releases/1.0.0/files/photo.png/preview");
    assert.equal(photo.querySelector(".file-link")?.getAttribute("href"), "https://city-a.test/@solar-dryer/releases/1.0.0/files/photo.png");
    const step = files[1]!;
    assert.equal(step.querySelector("img"), null);
    assert.equal(step.querySelector(".file-icon")?.getAttribute("data-kind"), "cad");
    assert.equal(step.querySelector(".file-size")?.textContent, "2.9 KB");
    assert.equal(step.querySelector(".file-size")?.getAttribute("data-bytes"), "3000");
    assert.equal(document.querySelector("a.download-manifest")?.getAttribute("href"), "/@solar-dryer/releases/1.0.0/okh.toml");
    assert.equal(document.querySelector("a.download-jsonld")?.getAttribute("href"), "/@solar-dryer/releases/1.0.0/okh.jsonld");
    assert.equal(document.querySelector("a.download-zip")?.getAttribute("href"), "/@solar-dryer/releases/1.0.0/archive.zip");
  });

  test("offers the release URL to fork from another node, and the build report to signed-in members", async () => {
    const visitor = (await html("/@solar-dryer/releases/1.0.0")).document;
    assert.equal(visitor.querySelector("input.release-url")?.getAttribute("value"), "https://city-a.test/@solar-dryer/releases/1.0.0");
    assert.equal(visitor.querySelector("form.made-form"), null);
    assert.equal(visitor.querySelector(".report-sign-in a")?.getAttribute("href"), "/login?next=%2F%40solar-dryer%2Freleases%2F1.0.0");
    const member = (await html("/@solar-dryer/releases/1.0.0", bobCookies)).document;
    const form = member.querySelector("form.made-form");
    assert.equal(form?.getAttribute("action"), "/@solar-dryer/releases/1.0.0/made");
    for (const name of ["place", "latitude", "longitude", "madeAt", "facility", "notes", "deviations", "photo0", "alt0"]) assert.ok(form?.querySelector(`[name="${name}"]`), name);
    assert.ok(member.querySelector('a[href="/designs/fork"]'));
  });

  test("is a 404 page for a version that does not exist", async () => {
    await node.http.get("/@solar-dryer/releases/9.9.9").set("Accept", "text/html").expect(404);
  });
});

describe("the new design form", () => {
  const form = (cookies: string) => node.http.post("/designs/new").set("Cookie", cookies).type("form");

  test("needs a signed-in member and suggests hardware licences", async () => {
    const anonymous = await node.http.get("/designs/new").set("Accept", "text/html").expect(303);
    assert.match(anonymous.headers.location!, /^\/login\?next=/);
    const { status, document } = await html("/designs/new", aliceCookies);
    assert.equal(status, 200);
    const f = document.querySelector("form.design-form");
    for (const name of ["handle", "name", "summary", "function", "tags", "licence", "documentationLicence", "licensor", "project"]) assert.ok(f?.querySelector(`[name="${name}"]`), name);
    assert.ok([...document.querySelectorAll("#licence-options option")].some((o) => o.getAttribute("value") === "CERN-OHL-S-2.0"));
    assert.deepEqual([...document.querySelectorAll("#project option")].map((o) => o.getAttribute("value")), ["", "food-lab"]);
    assert.equal(document.querySelector("a.fork-instead")?.getAttribute("href"), "/designs/fork");
  });

  test("bad input re-renders with 422, a message by field and the typed values", async () => {
    const res = await form(aliceCookies).send({ _csrf: CSRF_TOKEN, handle: "bad handle", name: "", licence: "Not-A-Licence" });
    assert.equal(res.status, 422);
    const { document } = parseHTML(res.text);
    assert.ok(document.querySelector(".error-summary"));
    assert.ok(document.querySelector("#handle-error"));
    assert.ok(document.querySelector("#name-error"));
    assert.match(document.querySelector("#licence-error")?.textContent ?? "", /SPDX|licen[cs]e/i);
    assert.equal(document.querySelector('input[name="licence"]')?.getAttribute("value"), "Not-A-Licence");
  });

  test("a taken handle is refused on the form", async () => {
    const res = await form(aliceCookies).send({ _csrf: CSRF_TOKEN, handle: "bob", name: "Bob's dryer", licence: "CERN-OHL-S-2.0" });
    assert.equal(res.status, 409);
    assert.match(parseHTML(res.text).document.querySelector(".error-summary")?.textContent ?? "", /taken/);
  });

  test("a valid form creates the design and shows its page", async () => {
    const res = await form(aliceCookies)
      .send({ _csrf: CSRF_TOKEN, handle: "rain-barrel", name: "Rain Barrel", summary: "Collects *rain*.", tags: "water, garden", licence: "CERN-OHL-W-2.0", documentationLicence: "", licensor: "", project: "food-lab" })
      .expect(303);
    assert.equal(res.headers.location, "/@rain-barrel");
    const { document } = await html("/@rain-barrel");
    assert.equal(document.querySelector("h1.design-name")?.textContent, "Rain Barrel");
    assert.equal(document.querySelector(".design-header .licence-badge")?.textContent, "CERN-OHL-W-2.0");
    assert.deepEqual(texts(document, ".design-tags a"), ["#water", "#garden"]);
    assert.equal(document.querySelector(".releases-empty")?.textContent, "No releases yet.");
  });
});

describe("the new release form", () => {
  const post = (cookies: string) => node.http.post("/@solar-dryer/releases/new").set("Cookie", cookies).field("_csrf", CSRF_TOKEN);

  test("is for the design's maintainers", async () => {
    await node.http.get("/@solar-dryer/releases/new").set("Accept", "text/html").expect(303);
    await node.http.get("/@solar-dryer/releases/new").set("Accept", "text/html").set("Cookie", bobCookies).expect(403);
    const { status, document } = await html("/@solar-dryer/releases/new", aliceCookies);
    assert.equal(status, 200);
    assert.equal(document.querySelector("form.release-form")?.getAttribute("data-upload-url"), "/api/v1/designs/solar-dryer/releases");
    assert.ok(document.querySelector('#trl option[value="OTRL-4"]'));
    assert.ok(document.querySelector('#drl option[value="ODRL-3*"]'));
    assert.equal(document.querySelectorAll(".bom-row").length, 5);
  });

  test("publishes a release with BOM rows and two files without JavaScript, and shows it", async () => {
    const res = await post(aliceCookies)
      .field("version", "2.0.0")
      .field("notes", "Now with a fan.")
      .field("trl", "OTRL-5")
      .field("drl", "")
      .field("bomPart0", "Fan")
      .field("bomQuantity0", "1")
      .field("bomUnit0", "pcs")
      .field("bomMaterial0", "")
      .field("bomSource0", "Noctua")
      .field("bomLink0", "")
      .field("bomPart1", "")
      .field("bomQuantity1", "")
      .attach("files", await pngBytes(320, 200), { filename: "fan.png", contentType: "image/png" })
      .attach("files", Buffer.from("solid fan\nendsolid fan\n"), { filename: "fan.stl", contentType: "application/octet-stream" })
      .expect(303);
    assert.equal(res.headers.location, "/@solar-dryer/releases/2.0.0");
    const { document } = await html("/@solar-dryer/releases/2.0.0");
    assert.deepEqual(texts(document, ".release-file .file-link"), ["fan.png", "fan.stl"]);
    assert.equal(document.querySelector(".release-file img.file-preview")?.getAttribute("alt"), "Preview of fan.png");
    assert.deepEqual(texts(document, "table.bom tbody .bom-part"), ["Fan"]);
    assert.equal(document.querySelector(".release-trl")?.getAttribute("data-level"), "OTRL-5");
    const list = (await html("/@solar-dryer")).document;
    assert.equal(list.querySelector(".release-list .release-link")?.textContent, "Version 2.0.0");
  });

  test("a duplicate version, a bad BOM row and a bad file name come back as messages on their fields", async () => {
    const duplicate = await post(aliceCookies).field("version", "1.0.0").field("bomPart0", "");
    assert.equal(duplicate.status, 409);
    assert.match(parseHTML(duplicate.text).document.querySelector(".error-summary")?.textContent ?? "", /1\.0\.0/);

    const bom = await post(aliceCookies).field("version", "3.0.0").field("bomPart0", "").field("bomPart1", "Bolt").field("bomQuantity1", "lots").field("bomUnit1", "pcs");
    assert.equal(bom.status, 422);
    const bomPage = parseHTML(bom.text).document;
    assert.ok(bomPage.querySelector("#bomQuantity1-error"), "the error is on the row typed, the second");
    assert.equal(bomPage.querySelector("#bomPart1")?.getAttribute("value"), "Bolt");

    const named = await post(aliceCookies).field("version", "3.0.1").attach("files", Buffer.from("x"), { filename: "a\\..\\..\\evil.txt" });
    assert.equal(named.status, 422);
    assert.ok(parseHTML(named.text).document.querySelector("#files-error"));
    await node.http.get("/@solar-dryer/releases/3.0.1").set("Accept", "text/html").expect(404);
  });
});

describe("the new release form, streamed", () => {
  test("a release larger than a page body (18 MB) is published without JavaScript", async () => {
    const big = randomBytes(18 * 1024 * 1024);
    const res = await node.http
      .post("/@solar-dryer/releases/new")
      .set("Cookie", aliceCookies)
      .field("_csrf", CSRF_TOKEN)
      .field("version", "4.0.0")
      .attach("files", big, { filename: "tooling.step", contentType: "application/octet-stream" })
      .expect(303);
    assert.equal(res.headers.location, "/@solar-dryer/releases/4.0.0");
    const release = await node.services.designs.release("solar-dryer", "4.0.0");
    assert.deepEqual(release.files.map((f) => [f.name, f.size, f.sha256]), [["tooling.step", big.length, createHash("sha256").update(big).digest("hex")]]);
    const { document } = await html("/@solar-dryer/releases/4.0.0");
    assert.equal(document.querySelector(".release-file .file-size")?.textContent, "18 MB");
  });

  test("the CSRF token must be the form's first field: without it nothing is read or stored", async () => {
    const before = (await node.services.designs.releases("solar-dryer")).length;
    const missing = await node.http.post("/@solar-dryer/releases/new").set("Cookie", aliceCookies).field("version", "5.0.0").attach("files", Buffer.from("x"), { filename: "a.txt" });
    assert.equal(missing.status, 403);
    const wrong = await node.http.post("/@solar-dryer/releases/new").set("Cookie", aliceCookies).field("_csrf", "x".repeat(43)).field("version", "5.0.1");
    assert.equal(wrong.status, 403);
    const late = await node.http.post("/@solar-dryer/releases/new").set("Cookie", aliceCookies).field("version", "5.0.2").field("_csrf", CSRF_TOKEN);
    assert.equal(late.status, 403);
    const crossSite = await node.http.post("/@solar-dryer/releases/new").set("Cookie", aliceCookies).set("Origin", "https://evil.example").field("_csrf", CSRF_TOKEN).field("version", "5.0.3");
    assert.equal(crossSite.status, 403);
    const nul = await node.http.post("/@solar-dryer/releases/new").set("Cookie", aliceCookies).field("_csrf", CSRF_TOKEN).field("version", "5.0.4").field("notes", "a\u0000b");
    assert.equal(nul.status, 400, "a NUL in a field is refused as every page form's is");
    assert.equal((await node.services.designs.releases("solar-dryer")).length, before);
  });
});

describe("reporting a build", () => {
  const report = (cookies: string) => node.http.post("/@solar-dryer/releases/1.0.0/made").set("Cookie", cookies).field("_csrf", CSRF_TOKEN);

  test("bad input re-renders the release page with messages by field and the typed values", async () => {
    const res = await report(bobCookies).field("place", "").field("latitude", "95").field("longitude", "4.8").field("madeAt", "2026-11-30").attach("photo0", await pngBytes(), { filename: "dryer.png", contentType: "image/png" });
    assert.equal(res.status, 422);
    const { document } = parseHTML(res.text);
    assert.ok(document.querySelector(".report-build .error-summary"));
    assert.ok(document.querySelector("#place-error"));
    assert.match(document.querySelector("#latitude-error")?.textContent ?? "", /between -90 and 90/);
    assert.match(document.querySelector("#alt0-error")?.textContent ?? "", /describe the photo/);
    assert.equal(document.querySelector('input[name="longitude"]')?.getAttribute("value"), "4.8");
    assert.equal(document.querySelector(".release-version")?.textContent, "1.0.0", "still the release page");
  });

  test("a report with a photo shows in the release's list, counts and map, and on the design page", async () => {
    const res = await report(bobCookies)
      .field("place", "Lyon")
      .field("latitude", "45.76")
      .field("longitude", "4.84")
      .field("madeAt", "2026-11-30")
      .field("facility", "Fabrique de Lyon")
      .field("notes", "Built in a *weekend*.")
      .field("deviations", "Poplar instead of birch")
      .field("alt0", "The dryer on a sunny balcony")
      .attach("photo0", await pngBytes(), { filename: "dryer.png", contentType: "image/png" })
      .expect(303);
    assert.equal(res.headers.location, "/@solar-dryer/releases/1.0.0#made-heading");
    const { document } = await html("/@solar-dryer/releases/1.0.0");
    const item = document.querySelector(".made-list .made-report");
    assert.equal(item?.querySelector(".made-place")?.textContent, "Lyon");
    assert.equal(item?.querySelector(".made-facility")?.textContent, "Fabrique de Lyon");
    assert.equal(item?.querySelector(".made-notes em")?.textContent, "weekend");
    assert.match(item?.querySelector(".made-deviations")?.textContent ?? "", /Poplar instead of birch/);
    assert.equal(item?.querySelector(".made-photos img")?.getAttribute("alt"), "The dryer on a sunny balcony");
    assert.equal(document.querySelector(".made-count")?.textContent, "1 build");
    assert.equal(document.querySelector(".made-cities")?.textContent, "1 city");
    assert.deepEqual(JSON.parse(document.querySelector("script#made-points")?.textContent ?? "[]").map((p: { name: string }) => p.name), ["Lyon"]);
    assert.ok(document.querySelector('script[src="/static/made-map.js"]'));

    const design = (await html("/@solar-dryer")).document;
    assert.match(design.querySelector(".design-made-count")?.textContent ?? "", /^1 time in 1 city$/);
    const item100 = [...design.querySelectorAll(".release-item")].find((li) => li.querySelector(".release-link")?.textContent === "Version 1.0.0");
    assert.match(item100?.textContent ?? "", /built 1 time\b/);
    assert.equal(design.querySelector(".made-list .made-version")?.textContent, "v1.0.0");
  });

  test("a release that does not exist is a 404", async () => {
    const res = await node.http.post("/@solar-dryer/releases/7.0.0/made").set("Cookie", bobCookies).type("form").send({ _csrf: CSRF_TOKEN, place: "Lyon", latitude: "45.7", longitude: "4.8", madeAt: "2026-11-30" });
    assert.equal(res.status, 404);
  });
});

describe("the forks tree on the design page", () => {
  test("shows forks made on other nodes with node, city and licence, a fork of a fork under its parent", async () => {
    const design = await node.services.designs.require("solar-dryer");
    const release = "https://city-a.test/@solar-dryer/releases/1.0.0";
    const row = (over: { depth: number; fork_design_iri: string; fork_url: string; fork_name: string; node_host: string; city: string | null; parent_design_iri?: string; source_release_iri?: string }) => ({
      design_actor_id: design.actorId,
      source_release_iri: release,
      parent_design_iri: design.iri,
      licence: "CERN-OHL-S-2.0",
      activity_iri: `${over.fork_design_iri}#creates/forks/1`,
      ...over,
    });
    await node.database.db
      .insertInto("design_forks")
      .values([
        row({ depth: 1, fork_design_iri: "https://city-b.test/@solar-dryer", fork_url: "https://city-b.test/@solar-dryer", fork_name: "Solar Dryer (Grenoble)", node_host: "city-b.test", city: "Grenoble" }),
        row({ depth: 2, parent_design_iri: "https://city-b.test/@solar-dryer", source_release_iri: "https://city-b.test/@solar-dryer/releases/1.0.0", fork_design_iri: "https://city-c.test/@dryer", fork_url: "https://city-c.test/@dryer", fork_name: "Dryer (Turin)", node_host: "city-c.test", city: null }),
      ])
      .execute();
    const { document } = await html("/@solar-dryer");
    const top = [...document.querySelectorAll(".forks > ul.fork-tree > li.fork-item")];
    assert.equal(top.length, 1);
    assert.equal(top[0]!.querySelector(".fork-link")?.getAttribute("href"), "https://city-b.test/@solar-dryer");
    assert.equal(top[0]!.querySelector(".fork-host")?.textContent, "city-b.test");
    assert.equal(top[0]!.querySelector(".fork-city")?.textContent, "Grenoble");
    assert.equal(top[0]!.querySelector(".licence-badge")?.textContent, "CERN-OHL-S-2.0");
    assert.deepEqual(texts(top[0] as unknown as Document, "li.fork-item li.fork-item .fork-link"), ["Dryer (Turin)"]);
    assert.equal(document.querySelector(".forks-count")?.textContent, "2 forks");
    assert.equal(document.querySelector(".design-forks-count")?.textContent, "2");
  });

  test("a fork shows its chain back to the original: forked from … on <host>, with the licence", async () => {
    const { designs } = node.services;
    const chain = [
      { release: "https://city-x.test/@dryer/releases/1.0.0", design: "https://city-x.test/@dryer", name: "Dryer", host: "city-x.test", licence: "CERN-OHL-S-2.0" },
      { release: "https://city-y.test/@dryer/releases/1.2.0", design: "https://city-y.test/@dryer", name: "Dryer (Porto)", host: "city-y.test", licence: "CERN-OHL-S-2.0" },
    ];
    const [admin] = await designs.maintainers(await designs.require("solar-dryer"));
    await designs.create(admin!.actorId, CreateDesignSchema.parse({ handle: "dryer-lyon", name: "Dryer (Lyon)", licence: "CERN-OHL-S-2.0" }), { forkOf: chain[1]!.release, forkChain: chain });
    const { document } = await html("/@dryer-lyon");
    const origins = [...document.querySelectorAll(".fork-origin")];
    assert.match(origins[0]?.textContent ?? "", /^Forked from\s+Dryer \(Porto\) on city-y\.test/);
    assert.equal(origins[0]?.querySelector("a.fork-origin-link")?.getAttribute("href"), "https://city-y.test/@dryer/releases/1.2.0");
    assert.match(origins[1]?.textContent ?? "", /which was forked from\s+Dryer on city-x\.test/);
    assert.equal(origins[1]?.querySelector(".licence-badge")?.textContent, "CERN-OHL-S-2.0");
  });

  test("a browser following the forks or made-here collection lands on the design page's section", async () => {
    const forks = await node.http.get("/@solar-dryer/forks").set("Accept", "text/html").expect(303);
    assert.equal(forks.headers.location, "/@solar-dryer#forks-heading");
    const made = await node.http.get("/@solar-dryer/made").set("Accept", "text/html").expect(303);
    assert.equal(made.headers.location, "/@solar-dryer#made-heading");
  });
});

describe("the fork form", () => {
  test("needs a signed-in member, takes the source from the query, and says what was wrong", async () => {
    await node.http.get("/designs/fork").set("Accept", "text/html").expect(303);
    const { document } = await html("/designs/fork?source=https%3A%2F%2Fcity-b.test%2F%40x%2Freleases%2F1.0", bobCookies);
    assert.equal(document.querySelector('form.fork-form input[name="source"]')?.getAttribute("value"), "https://city-b.test/@x/releases/1.0");
    const empty = await node.http.post("/designs/fork").set("Cookie", bobCookies).type("form").send({ _csrf: CSRF_TOKEN, source: "" });
    assert.equal(empty.status, 422);
    assert.ok(parseHTML(empty.text).document.querySelector("#source-error"));
    const notUrl = await node.http.post("/designs/fork").set("Cookie", bobCookies).type("form").send({ _csrf: CSRF_TOKEN, source: "not a url" });
    assert.equal(notUrl.status, 422);
    assert.match(parseHTML(notUrl.text).document.querySelector("#source-error")?.textContent ?? "", /URL/);
  });
});
