import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, type BrowserContext, chromium, type ConsoleMessage, type Page } from "playwright-core";
import { runOutboxRelay } from "../../federation/outbox-relay.ts";
import { type Config, loadConfig } from "../../server/config.ts";
import { ensureNodeIdentity } from "../../server/modules/node/node-identity.ts";
import { assembleNode } from "../../server/node.ts";
import { createSecretBox } from "../../server/secret-box.ts";
import { createTestDatabase, ENGINE_LABEL, type TestDatabase } from "../helpers/test-database.ts";

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
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A node serving real HTTP on a loopback port, its PUBLIC_URL being exactly that origin. */
export interface BrowserNode {
  readonly origin: string;
  readonly config: Config;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Assembles a node as startNode does (queues and outbox relay running) on a fresh test database. */
export async function startBrowserNode(env: Record<string, string> = {}): Promise<BrowserNode> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({ PUBLIC_URL: origin, PORT: String(port), NODE_ENV: "test", LOG_LEVEL: "warning", ...env });
  const database = await createTestDatabase();
  const box = createSecretBox("test-node-secret-0123456789abcdefghij");
  await ensureNodeIdentity(database.db, box, config);
  const services = assembleNode(config, database, box, () => false);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: services.app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const workers = new AbortController();
  const running = [
    services.federation.startQueue(services.deps, { signal: workers.signal }),
    runOutboxRelay(services.federation, services.deps, { signal: workers.signal, pollIntervalMs: 100 }),
  ];
  return {
    origin,
    config,
    database,
    async close() {
      workers.abort();
      await Promise.allSettled(running);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await database.close();
    },
  };
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

export type { Browser, BrowserContext, Page };
