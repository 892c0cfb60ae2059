import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildActivity, ldSign, rubyIso, snowflake } from "../../test/fakes/mastodon-activities.ts";
import { personDocument } from "../../test/fakes/mastodon-documents.ts";
import { signMastodonRequest } from "../../test/fakes/mastodon-signature.ts";
import { serveCalls } from "./child-rpc.ts";

/**
 * Child process: a Mastodon-like server with many accounts that sends signed activities to the
 * receiving node's shared inbox. Actor documents are served (the receiver fetches each key once and
 * caches it); activities and signatures come from the fake Mastodon of the federation tests
 * (test/fakes: fixture shapes F5 Like and F7 Create(Note) reply, draft-cavage rsa-sha256 with Digest,
 * RsaSignature2017 LD signatures on Creates as Mastodon makes them). Everything is signed before the
 * clock starts, so the peer's own signing does not compete with the receiver for the two cores.
 */

export type InboundKind = "like" | "create";

interface Account {
  readonly id: string;
  readonly username: string;
  readonly privateKey: KeyObject;
  readonly document: string;
}

interface Prepared {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

let server: Server | undefined;
let origin = "";
const accounts: Account[] = [];
let prepared: Prepared[] = [];
let agent: Agent | undefined;
let batch = 0;

function serveActors(): Promise<void> {
  server = createServer((req, res) => {
    const account = accounts.find((a) => new URL(a.id).pathname === req.url);
    if (req.method !== "GET" || account === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/activity+json; charset=utf-8" }).end(account.document);
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => {
      origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

function createAccounts(count: number): void {
  const domain = new URL(origin).host;
  for (let i = 0; i < count; i++) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const username = `fan${i}`;
    const id = `${origin}/users/${username}`;
    const info = {
      origin,
      domain,
      id,
      username,
      displayName: `Fan ${i}`,
      summaryHtml: "<p>Follows the commons.</p>",
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
      published: "2024-03-01T00:00:00Z",
    };
    accounts.push({ id, username, privateKey, document: JSON.stringify(personDocument(info)) });
  }
}

/** The activity for request `n`: the actor takes turns; each (note, actor) pair is liked once. */
async function activityFor(kind: InboundKind, n: number, notes: readonly string[], group: { iri: string; url: string; handle: string; acct: string }): Promise<Record<string, unknown>> {
  const account = accounts[n % accounts.length]!;
  const note = notes[Math.floor(n / accounts.length) % notes.length]!;
  if (kind === "like") return buildActivity("like", { ACTOR: account.id, LIKE_ROW: `${batch}-${n}`, NOTE: note });
  const at = new Date();
  const statusId = snowflake(at.getTime(), batch * 100_000 + n);
  const status = `${account.id}/statuses/${statusId}`;
  const activity = buildActivity("create-reply", {
    ACTOR: account.id,
    STATUS: status,
    STATUS_ID: statusId,
    PUBLISHED: rubyIso(at),
    ORIGIN: origin,
    USERNAME: account.username,
    NOTE: note,
    GROUP: group.iri,
    GROUP_FOLLOWERS: `${group.iri}/followers`,
    GROUP_URL: group.url,
    GROUP_USERNAME: group.handle,
    GROUP_ACCT: group.acct,
    CONVERSATION: `tag:${new URL(origin).host},2026-11-22:objectId=${statusId}:objectType=Conversation`,
    TEXT: `Reply ${n}: how much did the inverter cost, and who installed it?`,
  });
  return await ldSign(activity, account.privateKey, `${account.id}#main-key`);
}

serveCalls({
  async setup({ actors }: { actors: number }) {
    await serveActors();
    createAccounts(actors);
    return { origin, actors: accounts.map((a) => a.id) };
  },
  /** Builds and signs `count` activities for the receiver's shared inbox; returns the ms it took. */
  async prepare(args: { kind: InboundKind; count: number; inbox: string; notes: string[]; group: { iri: string; url: string; handle: string; acct: string } }) {
    const t0 = performance.now();
    batch++;
    const inbox = new URL(args.inbox);
    prepared = [];
    for (let n = 0; n < args.count; n++) {
      const account = accounts[n % accounts.length]!;
      const body = Buffer.from(JSON.stringify(await activityFor(args.kind, n, args.notes, args.group)));
      const { headers } = signMastodonRequest({
        method: "POST",
        url: inbox,
        host: inbox.host,
        keyId: `${account.id}#main-key`,
        privateKey: account.privateKey,
        version: "4.6",
        userAgent: `Mastodon/4.6.0 (http.rb/5.3.1; +${origin}/)`,
        body,
      });
      prepared.push({ url: inbox, headers: { ...headers, "Content-Length": String(body.length) }, body });
    }
    return { ms: performance.now() - t0, bytes: prepared.reduce((sum, p) => sum + p.body.length, 0) / Math.max(1, prepared.length) };
  },
  /** POSTs what was prepared, `concurrency` at a time, until done or `timeLimitMs` passes. */
  async fire({ concurrency, timeLimitMs }: { concurrency: number; timeLimitMs: number }) {
    agent ??= new Agent({ keepAlive: true, maxSockets: concurrency });
    const statuses: Record<string, number> = {};
    const latencies: number[] = [];
    const startedAt = performance.timeOrigin + performance.now();
    const deadline = performance.now() + timeLimitMs;
    let lastAcceptedAt = startedAt;
    let next = 0;
    let firstError: string | undefined;
    const worker = async () => {
      while (next < prepared.length && performance.now() < deadline) {
        const item = prepared[next++]!;
        const t0 = performance.now();
        const { status, text } = await post(item);
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 202) lastAcceptedAt = performance.timeOrigin + performance.now();
        else firstError ??= `${status} ${text.slice(0, 300)}`;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    latencies.sort((a, b) => a - b);
    return {
      startedAt,
      lastAcceptedAt,
      sent: latencies.length,
      accepted: statuses["202"] ?? 0,
      statuses,
      firstError,
      p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
      p95: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
    };
  },
  async close() {
    agent?.destroy();
    await new Promise<void>((resolve) => {
      if (server === undefined) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  },
});

function post(item: Prepared): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request(item.url, { method: "POST", headers: item.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", (error) => resolve({ status: 0, text: String(error) }));
    req.end(item.body);
  });
}
