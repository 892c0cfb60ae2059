import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createDesign, publish } from "../designs/design-fixtures.ts";
import { createMember, createProject } from "../projects/project-fixtures.ts";
import { reportMade } from "./design-listing-fixtures.ts";
import { CITIES, insertPeer, receive, remoteDraft } from "./directory-fixtures.ts";

/** The directory page with designs: its design filters, and each design card's licence, version and builds. */

let node: TestNode;

before(async () => {
  node = await createTestNode();
  const marc = await createMember(node, "marc");
  await createProject(node, marc, { handle: "atelier", name: "Atelier", tags: ["food"] });
  await createDesign(node, marc, { handle: "solar-dryer", name: "Solar dryer", licence: "CERN-OHL-S-2.0", tags: ["food"] });
  await publish(node, marc, "solar-dryer", { version: "1.2.0" });
  await reportMade(node, node.database.db, node.config.publicUrl, "solar-dryer", { count: 4, points: [CITIES.lyon, CITIES.paris] });
  const peer = await insertPeer(node.database.db, "bologna.example");
  await receive(node.database.db, peer, remoteDraft("bologna.example", "grain-mill", { kind: "design", name: "Grain mill <b>", licence: "MIT", tags: ["food"] }));
});
after(async () => {
  await node.close();
});

async function page(query: string, expected = 200) {
  const res = await node.http.get(`/directory${query}`).set("Accept", "text/html").expect(expected);
  return parseHTML(res.text).document;
}

describe("/directory with designs", () => {
  test("the form has labelled design filters: licence, made near, made within", async () => {
    const document = await page("");
    const form = document.querySelector("form.directory-search")!;
    const fieldset = form.querySelector("fieldset.directory-designs")!;
    assert.equal(fieldset.querySelector("legend")?.textContent, "Designs");
    for (const name of ["licence", "made_near", "made_radius_km"]) {
      const control = fieldset.querySelector(`input[name="${name}"]`);
      assert.ok(control, name);
      assert.ok(document.querySelector(`label[for="${control.getAttribute("id")}"]`), `label for ${name}`);
    }
  });

  test("a design card shows its licence (linking to SPDX), its latest version and how many times it was made", async () => {
    const document = await page("?kind=design");
    const cards = [...document.querySelectorAll("li.directory-result")];
    assert.deepEqual(cards.map((c) => c.querySelector("a.entry-name")?.textContent).sort(), ["Grain mill <b>", "Solar dryer"]);
    const dryer = cards.find((c) => c.querySelector("a.entry-name")?.textContent === "Solar dryer")!;
    assert.equal(dryer.querySelector(".entry-kind")?.textContent, "design");
    assert.equal(dryer.querySelector("a.entry-licence")?.textContent, "CERN-OHL-S-2.0");
    assert.equal(dryer.querySelector("a.entry-licence")?.getAttribute("href"), "https://spdx.org/licenses/CERN-OHL-S-2.0.html");
    assert.equal(dryer.querySelector(".entry-version")?.textContent, "v1.2.0");
    assert.equal(dryer.querySelector(".entry-made")?.textContent, "made 4×");
    const mill = cards.find((c) => c !== dryer)!;
    assert.equal(mill.querySelector("a.entry-licence")?.textContent, "MIT");
    assert.equal(mill.querySelector(".entry-version")?.textContent, "no release yet");
    assert.equal(mill.querySelector(".entry-made")?.textContent, "not made yet");
    assert.equal(mill.querySelector("b"), null, "names are text");
  });

  test("projects' cards have no design badges", async () => {
    const document = await page("?kind=project");
    const card = document.querySelector("li.directory-result")!;
    assert.equal(card.querySelector("a.entry-name")?.textContent, "Atelier");
    assert.equal(card.querySelector(".entry-design"), null);
  });

  test("the filters search and keep their values", async () => {
    const document = await page(`?licence=cern-ohl-s-2.0&made_near=${CITIES.paris.latitude},${CITIES.paris.longitude}&made_radius_km=50`);
    assert.deepEqual([...document.querySelectorAll("a.entry-name")].map((a) => a.textContent), ["Solar dryer"]);
    assert.equal(document.querySelector('input[name="licence"]')?.getAttribute("value"), "cern-ohl-s-2.0");
    assert.equal(document.querySelector('input[name="made_near"]')?.getAttribute("value"), `${CITIES.paris.latitude},${CITIES.paris.longitude}`);
    assert.equal(document.querySelector('input[name="made_radius_km"]')?.getAttribute("value"), "50");
  });

  test("the map's data block has each design's made places, also for a design without a place of its own", async () => {
    const document = await page("?kind=design");
    const data = JSON.parse(document.querySelector("#directory-results")!.textContent!) as { name: string; lat: number | null; made: number[][] }[];
    assert.deepEqual(data.map((d) => [d.name, d.lat, d.made]), [["Solar dryer", null, [[CITIES.lyon.latitude, CITIES.lyon.longitude], [CITIES.paris.latitude, CITIES.paris.longitude]]]]);
  });

  test("bad filters answer 422 with the field marked and named in the summary", async () => {
    const document = await page("?licence=Nope&made_near=somewhere&made_radius_km=10", 422);
    for (const name of ["licence", "made_near"]) {
      assert.equal(document.querySelector(`input[name="${name}"]`)?.getAttribute("aria-invalid"), "true", name);
      assert.ok(document.querySelector(`#${name}-error`)?.textContent, `${name} has its message`);
    }
    const summary = document.querySelector(".error-summary")!.textContent!;
    assert.match(summary, /Licence: .*SPDX/);
    assert.match(summary, /Made near \(lat,lon\): must be latitude,longitude/);
  });
});
