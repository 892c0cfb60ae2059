import assert from "node:assert/strict";
import { after, before, describe } from "node:test";
import sharp from "sharp";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { type Browser, type BrowserContext, type BrowserNode, checkPage as checkPageOf, journey, launchChromium, type Page, type PageProblems, screenshotDir, startBrowserNode, watchProblems } from "./helpers.ts";

// One visitor's journey through the pages, in a real headless Chromium: each test goes on from where
// the previous one left the browser (signed in, the project created, …).
const NODE_NAME = "Lyon Commons";
const NODE_DESCRIPTION = "Repair cafés, tool libraries and shared workshops of Lyon.";
const PASSWORD = "correct horse battery";
const ALT = "A blue workbench with three bicycle wheels hanging above it";
const UPDATE_PATH = /^\/@bike-kitchen\/updates\/[0-9a-f-]{36}$/;

let node: BrowserNode;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;
let shots: string;
let updatePath = "";

before(async () => {
  node = await startBrowserNode({ REGISTRATION: "open", NODE_NAME, NODE_DESCRIPTION });
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: node.origin });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  problems = watchProblems(page);
  shots = screenshotDir();
});

after(async () => {
  await context?.close();
  await browser?.close();
  await node?.close();
});

const path = () => new URL(page.url()).pathname;
const nav = () => page.getByRole("navigation", { name: "Main" });

const checkPage = (name: string): Promise<void> => checkPageOf(page, problems, shots, name);
const step = journey();

describe(`pages in Chromium (${ENGINE_LABEL}; screenshots in a temp dir)`, () => {
  step("a visitor sees the node's name and description on the home page, served with a strict CSP", async (t) => {
    t.diagnostic(`screenshots: ${shots}`);
    const response = await page.goto("/");
    assert.equal(response?.status(), 200);
    assert.match(response!.headers()["content-security-policy"] ?? "", /script-src 'self'/);
    await page.getByRole("heading", { level: 1, name: NODE_NAME }).waitFor();
    assert.equal(await page.locator(".node-description").textContent(), NODE_DESCRIPTION);
    assert.equal(await page.title(), NODE_NAME);
    assert.equal(await nav().getByRole("link", { name: "Log in" }).isVisible(), true);
    await checkPage("01-home");
  });

  step("registers through the form (open mode) and is signed in, with the handle in the nav", async () => {
    await nav().getByRole("link", { name: "Register" }).click();
    await page.getByRole("heading", { level: 1, name: "Register" }).waitFor();
    await checkPage("02-register");
    await page.getByLabel(/^Username/).fill("alice");
    await page.getByLabel(/^Display name/).fill("Alice Martin");
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForURL((url) => url.pathname === "/@alice");
    await nav().getByRole("link", { name: "@alice" }).waitFor();
    assert.equal(await nav().getByRole("button", { name: "Log out" }).isVisible(), true);
    assert.equal(await nav().getByRole("link", { name: "Log in" }).count(), 0);
    await checkPage("03-registered");
  });

  step("creates a project through the New project form and lands on its page with the rendered summary", async () => {
    await nav().getByRole("link", { name: "New project" }).click();
    await page.getByRole("heading", { level: 1, name: "New project" }).waitFor();
    await checkPage("04-new-project-form");
    await page.getByLabel(/^Handle/).fill("bike-kitchen");
    await page.getByLabel("Name", { exact: true }).fill("Bike Kitchen");
    await page.getByLabel(/^Summary/).fill("A **community** bike workshop.\n\nOpening hours are on [our wiki](https://wiki.example/bike-kitchen).");
    await page.getByLabel(/^Tags/).fill("repair, bicycles");
    await page.getByLabel(/^Place name/).fill("Croix-Rousse, Lyon");
    await page.getByLabel(/^Latitude/).fill("45.774");
    await page.getByLabel(/^Longitude/).fill("4.832");
    await page.getByRole("button", { name: "Create the project" }).click();
    await page.waitForURL((url) => url.pathname === "/@bike-kitchen");

    await page.getByRole("heading", { level: 1, name: "Bike Kitchen" }).waitFor();
    const summary = page.locator(".project-summary");
    assert.equal(await summary.locator("strong").textContent(), "community");
    assert.equal(await summary.getByRole("link", { name: "our wiki" }).getAttribute("href"), "https://wiki.example/bike-kitchen");
    assert.deepEqual(await page.locator(".project-tags a").allTextContents(), ["#repair", "#bicycles"]);
    assert.match((await page.locator(".project-location").textContent()) ?? "", /Croix-Rousse, Lyon\s+\(45\.774, 4\.832\)/);
    assert.equal(await page.locator(".project-maintainers").getByRole("link", { name: "Alice Martin" }).isVisible(), true);
    assert.equal(await page.getByText("No updates yet.").isVisible(), true);
    await checkPage("05-project-created");
  });

  step("posts an update with an image and its alt text; it shows on its own page and on the project page", async () => {
    await page.getByRole("link", { name: "Post an update" }).click();
    await page.getByRole("heading", { level: 1, name: "New update for Bike Kitchen" }).waitFor();
    await checkPage("06-new-update-form");
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 90, b: 200 } } }).jpeg().toBuffer();
    await page.getByLabel(/^Text/).fill("Saturday's **repair café** fixed 14 bikes. #repair");
    await page.getByLabel("Image 1", { exact: true }).setInputFiles({ name: "workbench.jpg", mimeType: "image/jpeg", buffer: jpeg });
    await page.getByLabel(/^Description of image 1/).fill(ALT);
    await page.getByRole("button", { name: "Post the update" }).click();
    await page.waitForURL((url) => UPDATE_PATH.test(url.pathname));
    updatePath = path();

    const content = page.locator(".update-page .update-content");
    assert.match((await content.textContent()) ?? "", /Saturday's repair café fixed 14 bikes\./);
    assert.equal(await content.locator("strong").textContent(), "repair café");
    await assertImageShown(page.locator(".update-page"));
    assert.equal(await page.getByRole("link", { name: "Bike Kitchen" }).first().getAttribute("href"), "/@bike-kitchen");
    await checkPage("07-update-page");

    await page.getByRole("link", { name: "Bike Kitchen" }).first().click();
    await page.waitForURL((url) => url.pathname === "/@bike-kitchen");
    const card = page.locator(".project-updates article.update");
    assert.equal(await card.count(), 1);
    assert.match((await card.locator(".update-content").textContent()) ?? "", /repair café fixed 14 bikes/);
    await assertImageShown(card);
    assert.equal(new URL((await card.locator("a.u-url").getAttribute("href"))!).pathname, updatePath);
    await checkPage("08-project-with-update");
  });

  step("edits the project: the page shows the new name and summary", async () => {
    await page.getByRole("link", { name: "Edit the project" }).click();
    await page.getByRole("heading", { level: 1, name: "Edit @bike-kitchen" }).waitFor();
    assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Bike Kitchen");
    assert.equal(await page.getByLabel(/^Handle/).count(), 0, "the handle cannot change");
    await checkPage("09-edit-project-form");
    await page.getByLabel("Name", { exact: true }).fill("Bike Kitchen Lyon");
    await page.getByLabel(/^Summary/).fill("A **volunteer-run** bike workshop.");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL((url) => url.pathname === "/@bike-kitchen");
    await page.getByRole("heading", { level: 1, name: "Bike Kitchen Lyon" }).waitFor();
    assert.equal(await page.locator(".project-summary strong").textContent(), "volunteer-run");
    assert.deepEqual(await page.locator(".project-tags a").allTextContents(), ["#repair", "#bicycles"], "tags are kept");
    await checkPage("10-project-edited");
  });

  step("logs out: the nav offers Log in again and the maintainer links are gone", async () => {
    await nav().getByRole("button", { name: "Log out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await nav().getByRole("link", { name: "Log in" }).waitFor();
    assert.equal(await nav().getByRole("link", { name: "@alice" }).count(), 0);
    await page.goto("/@bike-kitchen");
    assert.equal(await page.getByRole("link", { name: "Edit the project" }).count(), 0);
    assert.equal(await page.getByRole("link", { name: "Post an update" }).count(), 0);
    await checkPage("11-logged-out-project");
  });

  step("the project page has a 'follow from your fediverse account' form that asks for the visitor's handle", async () => {
    const box = page.getByRole("region", { name: "Follow from your fediverse account" });
    await box.waitFor();
    const handle = box.getByLabel(/Your fediverse address/);
    assert.equal(await handle.getAttribute("type"), "text");
    assert.equal(await handle.getAttribute("name"), "acct");
    assert.equal(await box.getByRole("button", { name: "Follow" }).isVisible(), true);
    // Something that is not a handle is refused with a message, without leaving the node.
    await handle.fill("not a handle");
    await box.getByRole("button", { name: "Follow" }).click();
    await page.waitForURL((url) => url.pathname === "/authorize_follow");
    await page.getByRole("alert").waitFor();
    assert.match((await page.getByRole("alert").textContent()) ?? "", /must be your fediverse handle/);
    await checkPage("12-follow-form-error");
  });

  step("a login with a wrong password, typed with the keyboard only, shows an error; the right one signs in", async () => {
    await page.goto("/login");
    await checkPage("13-login");
    await page.getByLabel(/^Username/).focus();
    await page.keyboard.type("alice");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "password", "Tab goes from username to password");
    await page.keyboard.type("not the password");
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/login") && r.request().method() === "POST"), page.keyboard.press("Enter")]);
    assert.equal(response.status(), 401);
    await page.getByRole("alert").waitFor();
    assert.match((await page.getByRole("alert").textContent()) ?? "", /The username or password is not right\./);
    assert.equal(await page.getByLabel(/^Username/).inputValue(), "alice", "the username is kept");
    assert.equal(await page.getByLabel(/^Password/).inputValue(), "", "the password is not echoed back");
    assert.equal(await nav().getByRole("link", { name: "Log in" }).isVisible(), true);
    await checkPage("14-login-wrong-password");

    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await nav().getByRole("link", { name: "@alice" }).waitFor();
    await checkPage("15-logged-in-again");
  });
});

/** The update's image is on screen, decoded, with the alt text the member typed (and as its caption). */
async function assertImageShown(scope: ReturnType<Page["locator"]>): Promise<void> {
  const image = scope.getByRole("img", { name: ALT });
  await image.scrollIntoViewIfNeeded();
  await image.waitFor();
  assert.ok(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), "the image loads");
  assert.equal(await scope.locator("figcaption").first().textContent(), ALT);
}
