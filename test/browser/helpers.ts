import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { test, type TestContext } from "node:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type ConsoleMessage, type Page } from "playwright-core";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { type ListeningNode, startListeningNode } from "../federation/listening-node.ts";

/**
 * Debian's Chromium (apt-get install chromium; .ci/run installs it when missing). Never a browser
 * downloaded by Playwright: playwright-core only drives it.
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * As the machine notes prescribe: without the background-networking flags Chromium keeps trying to
 * reach Google's hosts, which this sandbox refuses. Playwright adds a fresh temporary --user-data-dir.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`The page tests drive Debian's Chromium at ${CHROMIUM_PATH}, which is not installed: run \`apt-get install chromium\` (bash .ci/run installs it).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A node serving real HTTP on a loopback port, its PUBLIC_URL being exactly that origin. */
export type BrowserNode = Pick<ListeningNode, "origin" | "config" | "database" | "close">;

/** Assembles a node as startNode does (queues and outbox relay running) on a fresh test database. */
export async function startBrowserNode(env: Record<string, string> = {}): Promise<BrowserNode> {
  return await startListeningNode(env);
}

/**
 * What went wrong in the page as the browser saw it: console errors (a CSP violation is reported as
 * one: "Refused to …"), uncaught exceptions, and sub-resources (CSS, images) that failed or answered
 * 4xx/5xx. Navigations answering 4xx on purpose (a wrong password) are not counted.
 */
export interface PageProblems {
  readonly messages: string[];
  clear(): void;
}

export function watchProblems(page: Page): PageProblems {
  const messages: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() !== "error") return;
    // The document itself answering 401/422 (a form re-shown with errors) is expected.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) && message.location().url === page.url()) return;
    messages.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => messages.push(`uncaught exception on ${page.url()}: ${error.message}`));
  page.on("requestfailed", (request) => messages.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.request().isNavigationRequest() || response.status() < 400) return;
    messages.push(`sub-resource ${response.url()} answered ${response.status()}`);
  });
  return {
    messages,
    clear: () => {
      messages.length = 0;
    },
  };
}

/**
 * Form controls a person cannot identify without sight: neither a <label> (wrapping or `for`) nor
 * aria-label / aria-labelledby. Returned as short descriptions, so an assertion names them.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return await page.locator("input:not([type=hidden]), textarea, select").evaluateAll((elements) =>
    elements
      .filter((el) => {
        const control = el as HTMLInputElement;
        const labelled = (control.labels?.length ?? 0) > 0 && [...control.labels!].some((l) => l.textContent!.trim() !== "");
        return !labelled && !control.getAttribute("aria-label")?.trim() && !control.getAttribute("aria-labelledby");
      })
      .map((el) => `<${el.tagName.toLowerCase()} name="${el.getAttribute("name") ?? ""}" id="${el.id}">`),
  );
}

/** Where this run's screenshots go (a temp dir, for debugging; never committed). */
export function screenshotDir(): string {
  const dir = join(tmpdir(), `commonsnet-browser-${ENGINE_LABEL}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What every page must give: labelled controls, nothing broken in the console; and a screenshot. */
export async function checkPage(page: Page, problems: PageProblems, dir: string, name: string): Promise<void> {
  await screenshot(page, dir, name);
  const path = new URL(page.url()).pathname;
  assert.deepEqual(await unlabelledControls(page), [], `form controls without a label on ${path}`);
  const seen = [...problems.messages];
  problems.clear();
  assert.deepEqual(seen, [], `problems in the browser on ${path}`);
}

/** The steps of one journey: once one fails, the later ones are skipped rather than timing out one by one. */
export function journey(): (name: string, fn: (t: TestContext) => Promise<void>) => void {
  let broken = "";
  return (name, fn) => {
    test(name, async (t) => {
      if (broken) return t.skip(`an earlier step failed: ${broken}`);
      try {
        await fn(t);
      } catch (error) {
        broken = name;
        throw error;
      }
    });
  };
}

export type { Browser, BrowserContext, Page };
