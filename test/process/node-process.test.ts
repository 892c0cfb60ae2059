import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import {
  cleanupNodeProcesses,
  createNodeHome,
  type NodeHome,
  type NodeProcess,
  spawnNodeProcess,
  startNodeProcess,
} from "../helpers/node-process.ts";

// A real `npm start` process on PGlite, or on a scratch PostgreSQL database with TEST_DATABASE_URL.
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const NAME = "Repair Café & Co";
const DESCRIPTION = "Tools <and> know-how shared on the high street.";
const AP_JSON = "application/activity+json";

let home: NodeHome;
let node: NodeProcess;
before(async () => {
  home = await createNodeHome();
  node = await startNodeProcess(home, { NODE_NAME: NAME, NODE_DESCRIPTION: DESCRIPTION, REGISTRATION: "open" });
});
after(cleanupNodeProcesses);

async function getJson(path: string, accept = "application/json"): Promise<{ status: number; type: string; body: any }> {
  const response = await fetch(new URL(path, node.baseUrl), { headers: { Accept: accept } });
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  return { status: response.status, type, body: type.includes("json") ? JSON.parse(text) : text };
}

async function getHtml(path: string): Promise<string> {
  const response = await fetch(new URL(path, node.baseUrl), { headers: { Accept: "text/html" } });
  assert.equal(response.status, 200, `GET ${path}`);
  assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
  return await response.text();
}

/** Text of the first element with this tag and class, e.g. `<h1 class="node-name">`. */
function elementText(html: string, tag: string, className: string): string | undefined {
  return new RegExp(`<${tag} class="${className}">([^<]*)</${tag}>`).exec(html)?.[1];
}

const escaped = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

test(`the home page shows NODE_NAME and NODE_DESCRIPTION (${ENGINE_LABEL})`, async () => {
  const html = await getHtml("/");
  assert.equal(elementText(html, "h1", "node-name"), escaped(NAME));
  assert.equal(elementText(html, "p", "node-description"), escaped(DESCRIPTION));
  assert.equal(elementText(html, "span", "handle"), `@node@127.0.0.1:${home.port}`);
  assert.equal(elementText(html, "p", "node-stats"), "0 members");
});

test("/.well-known/nodeinfo links NodeInfo 2.1, which describes the node", async () => {
  const wellKnown = await getJson("/.well-known/nodeinfo");
  assert.equal(wellKnown.status, 200);
  const link = wellKnown.body.links.find((l: { rel: string }) => l.rel === "http://nodeinfo.diaspora.software/ns/schema/2.1");
  assert.equal(link?.href, `${node.baseUrl}/nodeinfo/2.1`);

  const { status, body } = await getJson("/nodeinfo/2.1");
  assert.equal(status, 200);
  assert.equal(body.version, "2.1");
  assert.equal(body.software.name, "commonsnet");
  assert.equal(body.software.version, PACKAGE_VERSION);
  assert.ok(body.protocols.includes("activitypub"));
  assert.equal(typeof body.usage.users.total, "number");
  assert.equal(body.openRegistrations, true);
  assert.equal(body.metadata.nodeName, NAME);
  assert.equal(body.metadata.nodeDescription, DESCRIPTION);
  assert.equal(body.metadata.nodeActor, `${node.baseUrl}/@node`);
});

test("WebFinger resolves acct:node@host to the actor and answers 404 for an unknown account", async () => {
  const resource = `acct:node@127.0.0.1:${home.port}`;
  const found = await getJson(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`, "application/jrd+json");
  assert.equal(found.status, 200);
  assert.equal(found.body.subject, resource);
  const self = found.body.links.find((l: { rel: string }) => l.rel === "self");
  assert.deepEqual(self, { rel: "self", href: `${node.baseUrl}/@node`, type: AP_JSON });

  const unknown = await fetch(`${node.baseUrl}/.well-known/webfinger?resource=${encodeURIComponent(`acct:nobody@127.0.0.1:${home.port}`)}`);
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

test("the node actor is an Application with a 2048-bit RSA key and a Multikey", async () => {
  const { status, type, body: actor } = await getJson("/@node", AP_JSON);
  assert.equal(status, 200);
  assert.match(type, /^application\/activity\+json/);
  const id = `${node.baseUrl}/@node`;
  assert.equal(actor.type, "Application");
  assert.equal(actor.id, id);
  assert.equal(actor.preferredUsername, "node");
  assert.equal(actor.name, NAME);
  assert.equal(actor.summary, "<p>Tools &#60;and&#62; know-how shared on the high street.</p>");
  assert.equal(actor.inbox, `${id}/inbox`);
  assert.equal(actor.endpoints.sharedInbox, `${node.baseUrl}/inbox`);
  assert.equal(actor.publicKey.id, `${id}#main-key`);
  assert.equal(actor.publicKey.owner, id);
  const key = createPublicKey(actor.publicKey.publicKeyPem);
  assert.equal(key.asymmetricKeyType, "rsa");
  assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
  const methods = [actor.assertionMethod].flat();
  const multikey = methods.find((m: { type: string }) => m.type === "Multikey");
  assert.equal(multikey?.controller, id);
  assert.match(multikey?.publicKeyMultibase ?? "", /^z/);
  assert.match(actor.published, /^\d{4}-\d{2}-\d{2}T/);
});

test("the same actor URL answers browsers with an HTML page", async () => {
  const html = await getHtml("/@node");
  assert.equal(elementText(html, "h1", "actor-name"), escaped(NAME));
  assert.equal(elementText(html, "p", "handle"), `@node@127.0.0.1:${home.port}`);
  assert.ok(html.includes(`<link rel="alternate" type="application/activity+json" href="${node.baseUrl}/@node">`));
});

test(`/healthz reports the database as ok on ${ENGINE_LABEL}`, async () => {
  const { status, body } = await getJson("/healthz");
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
  assert.equal(body.database.ok, true);
  assert.equal(body.database.engine, ENGINE_LABEL);
  assert.equal(body.version, PACKAGE_VERSION);
  assert.equal(body.role, "all");
  assert.equal(body.outboxPending, 0);
});

test("a second process on the same embedded DATA_DIR refuses to start", async () => {
  // The main node holds the embedded lock on PGlite runs; on PostgreSQL runs an embedded one is needed.
  const holder = home.databaseUrl === undefined ? node : await startNodeProcess(await createNodeHome({ embedded: true }));
  const intruder = spawnNodeProcess(holder.home);
  assert.equal((await intruder.exited).code, 1, intruder.describe());
  assert.match(intruder.stderr, new RegExp(`embedded database is already open by process ${holder.pid}`));
  // The holder is unharmed.
  assert.equal(((await (await fetch(`${holder.baseUrl}/healthz`)).json()) as { status: string }).status, "ok");
  if (holder !== node) assert.equal(await holder.stop(), 0, holder.describe());
});

test("a bad config value exits with code 2 and names the variable", async () => {
  const bad = spawnNodeProcess(await createNodeHome({ embedded: true }), { PORT: "abc" });
  assert.equal((await bad.exited).code, 2, bad.describe());
  assert.match(bad.stderr, /Invalid configuration:\n\s+- PORT: must be a number/);
  assert.equal(bad.stdout, "");
});

test("a restart keeps the actor's keys and date, and picks up a new NODE_NAME", async () => {
  const before = (await getJson("/@node", AP_JSON)).body;
  assert.equal(await node.stop(), 0, node.describe());
  assert.match(node.stdout, /Received SIGTERM, draining/);
  assert.match(node.stderr, /Node stopped cleanly/);

  node = await startNodeProcess(home, { NODE_NAME: "Repair Café Northside", NODE_DESCRIPTION: DESCRIPTION, REGISTRATION: "closed" });
  const afterRestart = (await getJson("/@node", AP_JSON)).body;
  assert.equal(afterRestart.id, before.id);
  assert.equal(afterRestart.publicKey.publicKeyPem, before.publicKey.publicKeyPem);
  assert.deepEqual(afterRestart.assertionMethod, before.assertionMethod);
  assert.equal(afterRestart.published, before.published);
  assert.equal(afterRestart.name, "Repair Café Northside");
  assert.equal(elementText(await getHtml("/"), "h1", "node-name"), "Repair Café Northside");
  const nodeInfo = (await getJson("/nodeinfo/2.1")).body;
  assert.equal(nodeInfo.metadata.nodeName, "Repair Café Northside");
  // REGISTRATION only seeds the charter's first version; afterwards the charter decides (issue 4).
  assert.equal(nodeInfo.openRegistrations, true, "the charter, not REGISTRATION, governs after the first start");
  assert.equal(await node.stop(), 0, node.describe());
});
