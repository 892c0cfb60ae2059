import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import { parseHTML } from "linkedom";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";

/**
 * Two nodes in one process, each on its own loopback port with its own database and its own queue
 * workers and outbox relay, federating for real over HTTP with signatures. Handles do not resolve
 * over plain http (WebFinger is https-only, docs/stack.md#fedify), so the member follows by URL.
 */

interface ListeningNode {
  readonly node: TestNode;
  readonly origin: string;
  readonly server: ServerType;
  readonly workers: { stop(): Promise<void> };
}

/** Listens first (port 0), then builds the node with PUBLIC_URL on that port, so no port can be taken in between. */
async function startListeningNode(): Promise<ListeningNode> {
  let handler: (request: Request) => Response | Promise<Response> = () => new Response("starting", { status: 503 });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (request) => handler(request), port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const node = await createTestNode({ PUBLIC_URL: origin, NODE_ENV: "test", PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8", REGISTRATION: "open" });
  handler = node.app.fetch;
  return { node, origin, server, workers: startWorkers(node) };
}

async function stopListeningNode(n: ListeningNode | undefined): Promise<void> {
  if (n === undefined) return;
  await n.workers.stop();
  const closed = new Promise((resolve) => n.server.close(resolve));
  if ("closeAllConnections" in n.server) n.server.closeAllConnections();
  await closed;
  await n.node.close();
}

async function api(n: ListeningNode, member: LocalMember | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (member !== null) headers.Authorization = `Bearer ${member.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${n.origin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

/** Polls `probe` until it returns a value, with a deadline instead of fixed sleeps. */
async function within<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let a: ListeningNode | undefined;
let b: ListeningNode | undefined;
let ana: LocalMember;
let bea: LocalMember;

before(async () => {
  a = await startListeningNode();
  b = await startListeningNode();
  ana = await createMember(a.node, "ana");
  bea = await createMember(b.node, "bea");
});
after(async () => {
  await stopListeningNode(a);
  await stopListeningNode(b);
});

describe(`two nodes federating over loopback on ${ENGINE_LABEL}`, () => {
  test("a member of A follows a project on B, reads its update in the timeline, and the reply shows on B's update page", async () => {
    const nodeA = a!;
    const nodeB = b!;
    const created = await api(nodeB, bea, "POST", "/api/v1/projects", { handle: "bikekitchen", name: "Bike Kitchen", summary: "We fix bikes." });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const projectIri = `${nodeB.origin}/@bikekitchen`;
    assert.equal(created.body.iri, projectIri);

    // 1. Ana follows the project by its URL; B accepts.
    const follow = await api(nodeA, ana, "POST", "/api/v1/follows", { target: projectIri });
    assert.equal(follow.status, 201, JSON.stringify(follow.body));
    assert.equal(follow.body.state, "pending");
    assert.deepEqual(
      { iri: follow.body.target.iri, acct: follow.body.target.acct, name: follow.body.target.name },
      { iri: projectIri, acct: `bikekitchen@${new URL(nodeB.origin).host}`, name: "Bike Kitchen" },
    );
    await within("B's Accept at A", async () => {
      const list = await api(nodeA, ana, "GET", "/api/v1/follows");
      return list.body.items.find((i: { target: { iri: string }; state: string }) => i.target.iri === projectIri && i.state === "accepted");
    });
    const followers = await api(nodeB, null, "GET", "/api/v1/projects/bikekitchen/followers");
    assert.deepEqual(followers.body.items.map((f: { iri: string }) => f.iri), [`${nodeA.origin}/@ana`]);

    // 2. Bea posts an update on B; it reaches Ana's timeline on A.
    const update = await api(nodeB, bea, "POST", "/api/v1/projects/bikekitchen/updates", { content: "Open workshop on **Saturday**" });
    assert.equal(update.status, 201, JSON.stringify(update.body));
    const item = await within("the update in A's timeline", async () => {
      const timeline = await api(nodeA, ana, "GET", "/api/v1/timeline");
      return timeline.body.items.find((i: { iri: string }) => i.iri === update.body.iri);
    });
    assert.equal(item.author.iri, projectIri);
    assert.equal(item.author.acct, `bikekitchen@${new URL(nodeB.origin).host}`);
    assert.match(item.contentHtml, /Open workshop on <strong>Saturday<\/strong>/);
    assert.equal(item.url, update.body.url);

    // 3. Ana replies from A; B stores the reply under the update.
    const reply = await api(nodeA, ana, "POST", "/api/v1/replies", { inReplyTo: update.body.iri, content: "I will bring the tandem." });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const stored = await within("the reply on B", async () => {
      const got = await api(nodeB, null, "GET", `/api/v1/projects/bikekitchen/updates/${update.body.id}`);
      return got.body.replies?.find((r: { iri: string }) => r.iri === reply.body.iri);
    });
    assert.equal(stored.author.iri, `${nodeA.origin}/@ana`);
    assert.equal(stored.author.acct, `ana@${new URL(nodeA.origin).host}`);
    assert.match(stored.contentHtml, /I will bring the tandem\./);
    assert.match(stored.contentHtml, /class="u-url mention"/);
    const counts = (await api(nodeB, null, "GET", `/api/v1/projects/bikekitchen/updates/${update.body.id}`)).body.counts;
    assert.equal(counts.replies, 1);

    // 4. B's update page (same URL as the Note) shows the reply.
    const page = await fetch(update.body.url, { headers: { Accept: "text/html" } });
    assert.equal(page.status, 200);
    const { document } = parseHTML(await page.text());
    const main = document.querySelector("main")?.textContent ?? "";
    assert.match(main, /I will bring the tandem\./);
    assert.match(main, new RegExp(`ana@${new URL(nodeA.origin).host.replace(/\./g, "\\.")}`));
  });
});
