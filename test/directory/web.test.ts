import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { ConfigError, loadConfig } from "../../server/platform/config.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, createProject } from "../projects/project-fixtures.ts";
import { CITIES, insertPeer, PARIS_LYON_KM, receive, remoteDraft } from "./directory-fixtures.ts";

let node: TestNode;
const XSS_NAME = "</script><script>alert(1)</script> & <!-- Café";

before(async () => {
  node = await createTestNode();
  const alice = await createMember(node, "alice");
  await createProject(node, alice, { handle: "bike-kitchen", name: "Bike Kitchen", summary: "Fix bikes", tags: ["repair"], location: { name: "Guillotière", ...CITIES.lyon, locality: "Lyon", country: "FR" } });
  await createProject(node, alice, { handle: "tools", name: "Tool Library", tags: ["repair"] });
  const peer = await insertPeer(node.database.db, "paris.example");
  await receive(node.database.db, peer, remoteDraft("paris.example", "atelier", { name: XSS_NAME, summary: "<img src=x onerror=alert(1)>", tags: ["repair"], location: { name: null, ...CITIES.paris } }));
});
after(async () => {
  await node.close();
});

async function page(query: string, expected = 200) {
  const res = await node.http.get(`/directory${query}`).set("Accept", "text/html").expect(expected);
  return { res, document: parseHTML(res.text).document };
}

describe("/directory", () => {
  test("a search form that works without JavaScript: GET to /directory, every control labelled", async () => {
    const { document } = await page("");
    const form = document.querySelector("form.directory-search")!;
    assert.equal(form.getAttribute("method"), "get");
    assert.equal(form.getAttribute("action"), "/directory");
    for (const name of ["q", "tags", "kind", "node", "lat", "lon", "radius_km", "sort"]) {
      const control = form.querySelector(`[name="${name}"]`);
      assert.ok(control, name);
      assert.ok(document.querySelector(`label[for="${control.getAttribute("id")}"]`), `label for ${name}`);
    }
    const kinds = [...form.querySelectorAll('select[name="kind"] option')].map((o) => o.getAttribute("value"));
    assert.deepEqual(kinds, ["", "project", "coop", "design", "facility"]);
    const nodes = [...form.querySelectorAll('select[name="node"] option')].map((o) => o.getAttribute("value"));
    assert.deepEqual(nodes, ["", "city-a.test", "paris.example"]);
  });

  test("results as a list: name linking to the page, origin node, distance from the point", async () => {
    const { document } = await page(`?tags=repair&lat=${CITIES.paris.latitude}&lon=${CITIES.paris.longitude}&radius_km=500`);
    assert.equal(document.querySelector("#results-heading")?.textContent, "2 results");
    const items = [...document.querySelectorAll("li.directory-result")];
    assert.equal(items.length, 2);
    const [paris, lyon] = items;
    assert.equal(paris!.querySelector("a.entry-name")?.textContent, XSS_NAME, "shown as text");
    assert.equal(paris!.querySelector("a.entry-name")?.getAttribute("href"), "https://paris.example/@atelier");
    assert.equal(paris!.querySelector(".entry-origin")?.textContent?.trim(), "From paris.example");
    assert.equal(paris!.querySelector(".entry-distance")?.textContent, "0.0 km");
    assert.equal(paris!.querySelector(".entry-summary")?.textContent, "<img src=x onerror=alert(1)>", "text, escaped");
    assert.equal(paris!.querySelector("img") === null, true);
    assert.equal(lyon!.querySelector("a.entry-name")?.textContent, "Bike Kitchen");
    assert.equal(lyon!.querySelector("a.entry-name")?.getAttribute("href"), "https://city-a.test/@bike-kitchen");
    assert.equal(lyon!.querySelector(".entry-origin")?.textContent?.trim(), "On this node");
    const km = Number(lyon!.querySelector(".entry-distance")?.textContent?.replace(" km", ""));
    assert.ok(Math.abs(km - PARIS_LYON_KM) <= 2, `${km}`);
    assert.equal(lyon!.querySelector(".entry-place")?.textContent, "Guillotière, Lyon, FR");
    assert.equal(document.querySelector('input[name="radius_km"]')?.getAttribute("value"), "500");
  });

  test("the map gets the located results as a JSON data block, never as inline script", async () => {
    const { res, document } = await page("?tags=repair");
    const scripts = [...document.querySelectorAll("script")];
    for (const script of scripts) {
      assert.ok(script.getAttribute("src") !== null || script.getAttribute("type") === "application/json", `inline script: ${script.outerHTML.slice(0, 80)}`);
    }
    assert.deepEqual(scripts.filter((s) => s.getAttribute("src")).map((s) => s.getAttribute("src")), ["/static/leaflet/leaflet.js", "/static/directory-map.js"]);
    assert.ok(!/<\/script><script>alert/.test(res.text), "the name cannot close the data block");
    const data = JSON.parse(document.querySelector("script#directory-results")!.textContent!);
    assert.deepEqual(
      data.map((d: { name: string; lat: number; lon: number; origin: string | null }) => [d.name, d.lat, d.lon, d.origin]).sort(),
      [
        ["Bike Kitchen", CITIES.lyon.latitude, CITIES.lyon.longitude, null],
        [XSS_NAME, CITIES.paris.latitude, CITIES.paris.longitude, "paris.example"],
      ].sort(),
      "Tool Library has no location, so it is listed but not mapped",
    );
    const map = document.querySelector("#directory-map")!;
    assert.equal(map.getAttribute("data-tile-url"), "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    assert.match(map.getAttribute("data-attribution") ?? "", /OpenStreetMap contributors/);
    assert.equal(document.querySelectorAll("li.directory-result").length, 3);
  });

  test("no map when nothing found has a location", async () => {
    const { document } = await page("?q=Tool%20Library&node=city-a.test");
    assert.equal(document.querySelectorAll("li.directory-result").length, 1);
    assert.equal(document.querySelector("#directory-map") === null, true);
    assert.equal(document.querySelector("#directory-results") === null, true);
  });

  test("bad parameters re-render the form with 422 and a message on the field", async () => {
    const { document } = await page("?lat=95&lon=2&q=bike", 422);
    assert.ok(document.querySelector(".error-summary"));
    assert.equal(document.querySelector("#lat-error")?.textContent, "must be between -90 and 90");
    assert.equal(document.querySelector("#lat")?.getAttribute("aria-invalid"), "true");
    assert.equal(document.querySelector("#q")?.getAttribute("value"), "bike");
  });

  test("pages: next and previous keep the search", async () => {
    const first = await page("?tags=repair&page_size=2");
    const next = first.document.querySelector('a[rel="next"]')?.getAttribute("href");
    assert.equal(next, "/directory?tags=repair&page_size=2&page=2");
    const second = await page(next!.replace("/directory", ""));
    assert.equal(second.document.querySelectorAll("li.directory-result").length, 1);
    assert.equal(second.document.querySelector("ol.directory-results")?.getAttribute("start"), "3");
    assert.equal(second.document.querySelector('a[rel="prev"]')?.getAttribute("href"), "/directory?tags=repair&page_size=2&page=1");
  });

  test("the navigation links to the directory", async () => {
    const { document } = await page("");
    assert.ok(document.querySelector('nav a[href="/directory"]'));
  });
});

describe("the map's assets and tile source", () => {
  test("Leaflet and the map script are served by the node itself", async () => {
    const js = await node.http.get("/static/leaflet/leaflet.js").expect(200);
    assert.match(js.headers["content-type"]!, /^text\/javascript/);
    assert.match(js.text, /Leaflet 1\.9\.4/);
    const css = await node.http.get("/static/leaflet/leaflet.css").expect(200);
    assert.match(css.headers["content-type"]!, /^text\/css/);
    await node.http.get("/static/leaflet/images/layers.png").expect(200).expect("content-type", "image/png");
    const script = await node.http.get("/static/directory-map.js").expect(200);
    assert.match(script.text, /circleMarker/);
    await node.http.get("/static/directory.css").expect(200);
    await node.http.get("/static/leaflet/../../package.json").expect(404);
    await node.http.get("/static/leaflet/leaflet-src.js").expect(404);
  });

  test("the CSP lets images come from MAP_TILE_URL's host, subdomains included", async () => {
    const tiles = "https://{s}.tiles.example:8443/osm/{z}/{x}/{y}.png";
    const other = await createTestNode({ MAP_TILE_URL: tiles });
    try {
      const res = await other.http.get("/directory").set("Accept", "text/html").expect(200);
      const imgSrc = /img-src ([^;]+)/.exec(res.headers["content-security-policy"]!)?.[1]?.split(" ") ?? [];
      assert.ok(imgSrc.includes("https://*.tiles.example:8443"), imgSrc.join(" "));
      assert.ok(/script-src 'self';/.test(res.headers["content-security-policy"]!));
    } finally {
      await other.close();
    }
    const csp = (await node.http.get("/directory").expect(200)).headers["content-security-policy"]!;
    assert.ok(/img-src [^;]*https:\/\/tile\.openstreetmap\.org/.test(csp), csp);
  });

  test("MAP_TILE_URL must be an http(s) template with {z}, {x} and {y}", () => {
    for (const bad of ["ftp://tiles.example/{z}/{x}/{y}.png", "https://tiles.example/tile.png", "not a url {z}{x}{y}"]) {
      assert.throws(() => loadConfig({ MAP_TILE_URL: bad }), (error: unknown) => error instanceof ConfigError && /^MAP_TILE_URL: must be an http\(s\) tile URL template/.test(error.issues[0]!), bad);
    }
    assert.equal(loadConfig({}).mapTileUrl, "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
  });
});
