import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe } from "node:test";
import sharp from "sharp";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { type Browser, type BrowserContext, type BrowserNode, checkPage as checkPageOf, journey, launchChromium, type Page, type PageProblems, screenshotDir, startBrowserNode, watchProblems } from "./helpers.ts";

// A member publishes a design and a release with two files in a real headless Chromium: the upload
// goes through the page's script to the API, and its progress bar is watched until it reaches 100%.
// Each step goes on from where the previous one left the browser.
const PASSWORD = "correct horse battery";
const STEP_BYTES = 3 * 1024 * 1024;

let node: BrowserNode;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
let shots: string;

before(async () => {
  node = await startBrowserNode({ REGISTRATION: "open", NODE_NAME: "Lyon Commons" });
  browser = await launchChromium();
  // The visitor lets the page read their position (Lyon), for "Use my location".
  context = await browser.newContext({ baseURL: node.origin, geolocation: { latitude: 45.7640, longitude: 4.8357 }, permissions: ["geolocation"] });
  // Map tiles come from MAP_TILE_URL's server, which this sandbox cannot reach: a blank tile stands in.
  const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 230, g: 230, b: 220 } } }).png().toBuffer();
  await context.route("https://tile.openstreetmap.org/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: tile }));
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  problems = watchProblems(page);
  shots = screenshotDir();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await node?.close();
});

const checkPage = (name: string): Promise<void> => checkPageOf(page, problems, shots, name);
const step = journey();

describe(`design pages in Chromium (${ENGINE_LABEL})`, () => {
  step("a member registers and creates a design through the New design form", async (t) => {
    t.diagnostic(`screenshots: ${shots}`);
    await page.goto("/register");
    await page.getByLabel(/^Username/).fill("alice");
    await page.getByLabel(/^Display name/).fill("Alice Martin");
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForURL((url) => url.pathname === "/@alice");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New design" }).click();
    await page.getByRole("heading", { level: 1, name: "New design" }).waitFor();
    await checkPage("d01-new-design-form");
    await page.getByLabel(/^Handle/).fill("solar-dryer");
    await page.getByLabel("Name", { exact: true }).fill("Solar Dryer");
    await page.getByLabel(/^Summary/).fill("Dries fruit with **sunlight**.");
    await page.getByLabel(/^Function/).fill("Dries food without electricity");
    await page.getByLabel(/^Licence/).fill("CERN-OHL-S-2.0");
    await page.getByRole("button", { name: "Create the design" }).click();
    await page.waitForURL((url) => url.pathname === "/@solar-dryer");
    await page.getByRole("heading", { level: 1, name: "Solar Dryer" }).waitFor();
    assert.equal(await page.locator(".design-header .licence-badge").getAttribute("href"), "https://spdx.org/licenses/CERN-OHL-S-2.0.html");
    assert.equal(await page.getByText("No releases yet.").isVisible(), true);
    await checkPage("d02-design-created");
  });

  step("publishes a release with two files: the progress bar reaches 100% and the release page lists them", async () => {
    await page.getByRole("link", { name: "Publish a release" }).click();
    await page.getByRole("heading", { level: 1, name: "New release of Solar Dryer" }).waitFor();
    // The form's script adds this button once it runs; wait for it rather than sampling the page once.
    await page.getByRole("button", { name: "Add a row" }).waitFor({ state: "visible" });
    await checkPage("d03-new-release-form");

    await page.getByLabel(/^Version/).fill("1.0.0");
    await page.getByLabel(/^Notes/).fill("First *release*.");
    await page.getByLabel(/^Technology readiness level/).selectOption("OTRL-4");
    await page.getByLabel("Part 1", { exact: true }).fill("Plywood sheet");
    await page.getByLabel("Quantity 1", { exact: true }).fill("2");
    await page.getByLabel("Unit 1", { exact: true }).fill("sheet");
    await page.getByRole("button", { name: "Add a row" }).click();
    assert.equal(await page.locator(".bom-row").count(), 6);
    await page.getByLabel("Part 6", { exact: true }).fill("Screws");
    await page.getByLabel("Quantity 6", { exact: true }).fill("40");
    await page.getByLabel("Unit 6", { exact: true }).fill("pcs");

    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 240, g: 170, b: 40 } } }).png().toBuffer();
    await page.getByLabel(/^Files/).setInputFiles([
      { name: "photo.png", mimeType: "image/png", buffer: png },
      { name: "frame.step", mimeType: "application/octet-stream", buffer: randomBytes(STEP_BYTES) },
    ]);

    // Every value the progress bar shows, recorded from the page (the bar is gone once the page moves on).
    const seen: number[] = [];
    await page.exposeFunction("recordUploadProgress", (value: number) => seen.push(value));
    await page.evaluate(() => {
      const bar = document.querySelector("progress.upload-progress") as HTMLProgressElement;
      new MutationObserver(() => (window as unknown as { recordUploadProgress(v: number): void }).recordUploadProgress(bar.value)).observe(bar, { attributes: true });
      const output = document.querySelector(".upload-percent")!;
      new MutationObserver(() => (window as unknown as { recordUploadProgress(v: number): void }).recordUploadProgress(Number.parseInt(output.textContent ?? "", 10))).observe(output, { childList: true, characterData: true, subtree: true });
    });
    const [upload] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/designs/solar-dryer/releases") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Publish the release" }).click(),
    ]);
    assert.equal(upload.status(), 201);
    await page.waitForURL((url) => url.pathname === "/@solar-dryer/releases/1.0.0");
    assert.ok(seen.includes(100), `the progress bar reached 100% (saw ${seen.join(", ")})`);
    assert.deepEqual(seen.filter((v) => v !== 0), [...seen.filter((v) => v !== 0)].sort((a, b) => a - b), "it never went back");

    await page.getByRole("heading", { level: 1, name: "Version 1.0.0" }).waitFor();
    assert.deepEqual(await page.locator(".release-file .file-link").allTextContents(), ["photo.png", "frame.step"]);
    assert.equal(await page.locator(".release-file").nth(1).locator(".file-size").textContent(), "3 MB");
    const preview = page.getByRole("img", { name: "Preview of photo.png" });
    await preview.waitFor();
    assert.ok(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), "the preview loads");
    assert.deepEqual(await page.locator("table.bom .bom-part").allTextContents(), ["Plywood sheet", "Screws"]);
    assert.match((await page.locator(".release-trl").textContent()) ?? "", /^OTRL-4/);
    await checkPage("d04-release-page");
  });

  step("reports a build with \"Use my location\": it shows in the list and as a marker on the map", async () => {
    const form = page.getByRole("region", { name: "Report a build" });
    await form.getByLabel(/^Place/).fill("Lyon");
    await form.getByRole("button", { name: "Use my location" }).click();
    await form.getByText("Location filled in.").waitFor();
    assert.equal(await form.getByLabel(/^Latitude/).inputValue(), "45.7640");
    assert.equal(await form.getByLabel(/^Longitude/).inputValue(), "4.8357");
    await form.getByLabel(/^Date built/).fill("2026-11-30");
    await form.getByLabel(/^Facility/).fill("Fabrique de Lyon");
    await form.getByRole("button", { name: "Report the build" }).click();
    await page.waitForURL((url) => url.pathname === "/@solar-dryer/releases/1.0.0" && url.hash === "#made-heading");
    assert.equal(await page.locator(".made-list .made-place").textContent(), "Lyon");
    assert.equal(await page.locator(".made-count").textContent(), "1 build");
    await page.locator("#made-map.made-map-ready path.made-marker").waitFor();
    assert.equal(await page.locator("#made-map path.made-marker").count(), 1);
    await checkPage("d05-build-reported");
  });
});
