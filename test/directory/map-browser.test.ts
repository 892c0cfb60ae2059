import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { type Browser, type BrowserContext, type BrowserNode, launchChromium, type Page, type PageProblems, screenshot, screenshotDir, startBrowserNode, unlabelledControls, watchProblems } from "../browser/helpers.ts";
import { CITIES, insertPeer, receive, remoteDraft } from "./directory-fixtures.ts";

// The directory's map in a real headless Chromium (Debian's, driven by playwright-core) with the
// tile server unreachable: the markers are vector circles and must still be drawn and visible.
const DEAD_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png";

let node: BrowserNode;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

before(async () => {
  node = await startBrowserNode({ MAP_TILE_URL: DEAD_TILES });
  const { db } = node.database;
  const actor = await insertActor(db, { handle: "alice", kind: "person", name: "Alice", summary: "" });
  const accountId = await insertAccount(db, { actorId: actor!.id, passwordHash: "unused", role: "member", status: "active" });
  const { token } = await createApiToken(db, accountId, "test");
  const res = await fetch(`${node.origin}/api/v1/projects`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ handle: "bike-kitchen", name: "Bike Kitchen", tags: ["repair"], location: { name: "Guillotière", ...CITIES.lyon, locality: "Lyon", country: "FR" } }),
  });
  assert.equal(res.status, 201, await res.text());
  const peer = await insertPeer(db, "london.example");
  await receive(db, peer, remoteDraft("london.example", "repair-cafe", { name: "Repair Café London", tags: ["repair"], location: { name: null, ...CITIES.london } }));
  await receive(db, peer, remoteDraft("london.example", "no-place", { name: "Nowhere in particular", tags: ["repair"] }));
  await receive(db, peer, remoteDraft("london.example", "paris", { name: "Atelier <Paris>", tags: ["repair"], location: { name: null, ...CITIES.paris } }));
  await receive(db, peer, remoteDraft("london.example", "dryer", { kind: "design", name: "Solar <dryer>", licence: "MIT", madeCount: 2, madePoints: [CITIES.london, CITIES.berlin] }));
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: node.origin });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  problems = watchProblems(page);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await node?.close();
});

/** Everything but the tiles, whose host is down on purpose. */
const realProblems = () => problems.messages.filter((m) => !m.includes("127.0.0.1:9/"));

describe("the directory map in Chromium", () => {
  test("markers are drawn and visible while every tile fails to load", async () => {
    await page.goto("/directory?tags=repair");
    await page.locator("#directory-map.directory-map-ready").waitFor({ state: "attached" });
    const markers = page.locator("#directory-map path.directory-marker");
    assert.equal(await markers.count(), 3, "one per located result");
    const mapBox = (await page.locator("#directory-map").boundingBox())!;
    for (let i = 0; i < 3; i++) {
      assert.equal(await markers.nth(i).isVisible(), true, `marker ${i} visible`);
      const box = (await markers.nth(i).boundingBox())!;
      assert.ok(box.width >= 10 && box.height >= 10, `marker ${i} is ${box.width}×${box.height}`);
      assert.ok(box.x >= mapBox.x && box.x + box.width <= mapBox.x + mapBox.width && box.y >= mapBox.y && box.y + box.height <= mapBox.y + mapBox.height, `marker ${i} inside the map`);
    }
    // The tiles were asked for and none loaded.
    await page.waitForFunction(() => document.querySelectorAll("#directory-map img.leaflet-tile").length > 0);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>("#directory-map img.leaflet-tile")].every((img) => img.complete));
    const loaded = await page.locator("#directory-map img.leaflet-tile").evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length);
    assert.equal(loaded, 0, "no tile could load");
    assert.equal(await page.locator("li.directory-result").count(), 4, "the list has every result, mapped or not");
    await screenshot(page, screenshotDir(), "directory-map-without-tiles");
  });

  test("a marker opens a popup naming the entry as text, linking to its page", async () => {
    const target = page.locator("#directory-map path.directory-marker").first();
    await target.click({ force: true });
    const popup = page.locator(".leaflet-popup .directory-popup");
    await popup.waitFor({ state: "visible" });
    const link = popup.locator("a");
    const name = await link.textContent();
    assert.ok(["Bike Kitchen", "Repair Café London", "Atelier <Paris>"].includes(name ?? ""), `${name}`);
    assert.match((await link.getAttribute("href")) ?? "", /^https:\/\/london\.example\/@|\/@bike-kitchen$/);
  });

  test("a design's builds are smaller markers, named as text", async () => {
    await page.goto("/directory?kind=design");
    await page.locator("#directory-map.directory-map-ready").waitFor({ state: "attached" });
    assert.equal(await page.locator("#directory-map path.directory-marker").count(), 0, "the design has no place of its own");
    const made = page.locator("#directory-map path.directory-made-marker");
    assert.equal(await made.count(), 2);
    for (let i = 0; i < 2; i++) assert.equal(await made.nth(i).isVisible(), true, `made marker ${i} visible`);
    await made.first().hover({ force: true });
    const tooltip = page.locator(".leaflet-tooltip");
    await tooltip.waitFor({ state: "visible" });
    assert.equal(await tooltip.textContent(), "Made here: Solar <dryer>");
  });

  test("no script errors, no CSP violations, every control labelled", async () => {
    assert.deepEqual(await unlabelledControls(page), []);
    assert.deepEqual(realProblems(), []);
    assert.ok(problems.messages.some((m) => m.includes("127.0.0.1:9/")), "the tile requests did fail (the test means something)");
  });

  test("the search form works by itself: submitting it filters the list and the map", async () => {
    problems.clear();
    await page.goto("/directory");
    await page.getByLabel("Latitude").fill(String(CITIES.paris.latitude));
    await page.getByLabel("Longitude").fill(String(CITIES.paris.longitude));
    await page.getByLabel("Within (km)").fill("350");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/radius_km=350/);
    await page.locator("#directory-map.directory-map-ready").waitFor({ state: "attached" });
    const names = await page.locator("li.directory-result a.entry-name").allTextContents();
    assert.deepEqual(names, ["Atelier <Paris>", "Repair Café London"]);
    assert.equal(await page.locator("#directory-map path.directory-marker").count(), 2);
    const distances = await page.locator("li.directory-result .entry-distance").allTextContents();
    assert.equal(distances[0], "0.0 km");
    assert.match(distances[1] ?? "", /^34\d\.\d km$/);
    assert.deepEqual(realProblems(), []);
  });
});
