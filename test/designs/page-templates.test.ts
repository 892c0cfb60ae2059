import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { formatBytes } from "../../web/components/designs/format-bytes.ts";
import { ForksTree } from "../../web/components/designs/forks-tree.ts";
import { MadeHere } from "../../web/components/designs/made-here.ts";
import type { PageContext } from "../../web/page-context.ts";
import { ReleaseFormPage } from "../../web/pages/release-form-page.ts";

// The pieces of the design pages whose logic is their own (sizes, icons, the forks tree's nesting, the
// map's data block); the pages with real data are tested through a node in pages.test.ts.
const page: PageContext = { nodeName: "Lyon Commons", viewer: null, csrfToken: "t".repeat(43) };

async function render(fragment: unknown): Promise<Document> {
  return parseHTML(`<!doctype html><html><body>${String(await fragment)}</body></html>`).document as unknown as Document;
}

describe("file sizes", () => {
  test("read as people read them", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(812), "812 B");
    assert.equal(formatBytes(4300), "4.2 KB");
    assert.equal(formatBytes(12.5 * 1024 * 1024), "12.5 MB");
    assert.equal(formatBytes(200 * 1024 * 1024), "200 MB");
    assert.equal(formatBytes(3 * 1024 ** 3), "3 GB");
  });
});

describe("the forks tree", () => {
  test("nests a fork of a fork under its parent and shows the origin chain newest first", async () => {
    const document = await render(
      ForksTree({
        origins: [
          { name: "Solar dryer", releaseUrl: "https://a.test/@solar-dryer/releases/1.0.0", host: "a.test", licence: "CERN-OHL-S-2.0" },
          { name: "Solar dryer (Lyon)", releaseUrl: "https://b.test/@solar-dryer/releases/1.1.0", host: "b.test", licence: "CERN-OHL-S-2.0" },
        ],
        forks: [
          {
            name: "Child", url: "https://d.test/@child", host: "d.test", city: "Grenoble", licence: "CERN-OHL-S-2.0",
            children: [{ name: "Grandchild", url: "https://e.test/@g", host: "e.test", city: null, licence: "CERN-OHL-S-2.0", children: [] }],
          },
        ],
      }),
    );
    const origins = [...document.querySelectorAll(".fork-origin")];
    assert.match(origins[0]!.textContent!, /^Forked from\s+Solar dryer \(Lyon\) on b\.test/);
    assert.match(origins[1]!.textContent!, /which was forked from\s+Solar dryer on a\.test/);
    assert.equal(origins[1]!.querySelector("a.licence-badge")?.getAttribute("href"), "https://spdx.org/licenses/CERN-OHL-S-2.0.html");
    const top = document.querySelectorAll(".forks > ul.fork-tree > li.fork-item");
    assert.equal(top.length, 1);
    assert.equal(top[0]!.querySelector(".fork-link")?.textContent, "Child");
    assert.equal(top[0]!.querySelector(".fork-city")?.textContent, "Grenoble");
    assert.deepEqual([...top[0]!.querySelectorAll("li.fork-item li.fork-item .fork-link")].map((a) => a.textContent), ["Grandchild"], "under its parent");
    assert.equal(document.querySelector(".forks-count")?.textContent, "2 forks");
  });
});

describe("the made-here map's data", () => {
  test("is a JSON block that no text can close early", async () => {
    const document = await render(
      MadeHere({
        reports: [{ place: "Lyon</script><script>alert(1)</script>", latitude: 45.76, longitude: 4.84, madeAt: new Date("2026-11-30T00:00:00Z"), facility: null, reporterName: "Ana", reporterUrl: null, version: null, host: "a.test", notesHtml: "", deviations: "", photos: [] }],
        madeCount: 1,
        cityCount: 1,
        map: { tileUrl: "https://tile.example/{z}/{x}/{y}.png", attribution: "OSM" },
        subject: "this release",
      }),
    );
    assert.equal(document.querySelectorAll("script").length, 1);
    const points = JSON.parse(document.querySelector("script#made-points")!.textContent!);
    assert.equal(points[0].name, "Lyon</script><script>alert(1)</script>");
    assert.equal(points[0].lat, 45.76);
    assert.equal(document.querySelector(".made-count")?.textContent, "1 build");
    assert.equal(document.querySelector(".made-cities")?.textContent, "1 city");
  });
});

describe("the new-release form", () => {
  test("works without JavaScript: a multipart post to the page route, BOM rows as inputs, files multiple", async () => {
    const document = await render(
      ReleaseFormPage({
        page,
        design: { handle: "solar-dryer", name: "Solar dryer", url: "/@solar-dryer", licence: "CERN-OHL-S-2.0" },
        values: { version: "1.0.0", notes: "", trl: "OTRL-4", drl: "", bom: [{ part: "Plywood", quantity: "2", unit: "sheet", material: "birch", source: "", link: "" }] },
        errors: { bomQuantity0: "must be a number" },
        trlLevels: [{ id: "OTRL-4", label: "prototype" }],
        drlLevels: [{ id: "ODRL-1", label: "documented" }],
        uploadUrl: "/api/v1/designs/solar-dryer/releases",
        limits: { fileMaxBytes: 50 * 1024 * 1024, releaseMaxBytes: 500 * 1024 * 1024 },
      }),
    );
    const form = document.querySelector("form.release-form")!;
    assert.equal(form.getAttribute("action"), "/@solar-dryer/releases/new");
    assert.equal(form.getAttribute("enctype"), "multipart/form-data");
    assert.equal(form.getAttribute("data-upload-url"), "/api/v1/designs/solar-dryer/releases");
    assert.equal(document.querySelectorAll(".bom-row").length, 5);
    assert.equal(document.querySelector<HTMLInputElement>("#bomPart0")?.getAttribute("value"), "Plywood");
    assert.equal(document.querySelector("#bomQuantity0")?.getAttribute("aria-invalid"), "true");
    assert.equal(document.querySelector("#bomQuantity0-error")?.textContent, "must be a number");
    assert.equal(document.querySelector('.error-summary a[href="#bomQuantity0"]')?.textContent, "Row 1, Quantity");
    assert.ok(document.querySelector('input#files[type="file"][name="files"][multiple]'));
    assert.equal(document.querySelector('#trl option[selected]')?.getAttribute("value"), "OTRL-4");
    assert.ok(document.querySelector("progress.upload-progress"));
    assert.match(document.querySelector("#files-hint")?.textContent ?? "", /50 MB a file, 500 MB in all/);
  });
});
