import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { configure, type LogRecord } from "@logtape/logtape";
import { runOutboxRelay } from "../../federation/outbox-relay.ts";
import { assembleNode, type NodeServices } from "../../server/app/node.ts";
import { appendToOutbox } from "../../server/modules/outbox/outbox.repository.ts";
import { loadConfig } from "../../server/platform/config.ts";
import { settled } from "../federation/listening-node.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, type LocalMember } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type SigningPeer } from "../inbox/helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
/** What the node logged about deliveries it refused. */
const refusals: LogRecord[] = [];
let node: TestNode;
let peer: SigningPeer;
let ana: LocalMember;
/** A "peer" whose inbox redirects into a loopback path that plays the cloud metadata service. */
let redirecting: Server;
let redirectingOrigin: string;
const redirectingHits: string[] = [];

before(async () => {
  await configure({
    reset: true,
    sinks: { capture: (record) => void refusals.push(record) },
    loggers: [
      { category: ["commonsnet", "outbox", "address-policy"], sinks: ["capture"], lowestLevel: "warning" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
  });
  node = await createTestNode({ PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8", REGISTRATION: "open" });
  peer = await createSigningPeer(node, ["alice"]);
  ana = await createMember(node, "ana");
  redirecting = createServer((req, res) => {
    redirectingHits.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.url === "/inbox") res.writeHead(308, { Location: "/latest/meta-data/" }).end();
    else res.writeHead(202).end();
  });
  redirecting.listen(0, "127.0.0.1");
  await once(redirecting, "listening");
  redirectingOrigin = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
});
after(async () => {
  const closed = new Promise((resolve) => redirecting.close(resolve));
  redirecting.closeAllConnections();
  await closed;
  await peer.close();
  await node.close();
});

/**
 * The node's queues and outbox relay as a worker process runs them, on the test database, under
 * `env`'s configuration: a restart with another configuration is a fresh assembly (Fedify starts
 * a federation's queues once).
 */
function startWorkersWith(env: Record<string, string>): { services: NodeServices; stop(): Promise<void> } {
  const config = loadConfig({ PUBLIC_URL: node.config.publicUrl.origin, NODE_ENV: "test", LOG_LEVEL: "warning", ...env });
  const services = assembleNode(config, node.database, node.deps.box, () => false);
  const controller = new AbortController();
  const running = [
    services.federation.startQueue(services.deps, { signal: controller.signal }),
    runOutboxRelay(services.federation, services.deps, { signal: controller.signal, pollIntervalMs: 100 }),
  ];
  return {
    services,
    async stop() {
      controller.abort();
      await Promise.allSettled(running);
    },
  };
}

function noteToFollowers(n: number) {
  const actor = `${node.config.publicUrl.origin}/@${ana.handle}`;
  return {
    "@context": AS,
    id: `${actor}/notes/${n}/activity`,
    type: "Create",
    actor,
    to: [`${actor}/followers`],
    object: { id: `${actor}/notes/${n}`, type: "Note", attributedTo: actor, to: [`${actor}/followers`], content: `<p>note ${n}</p>`, published: "2026-12-01T10:00:00Z" },
  };
}

describe(`deliveries under the address policy on ${ENGINE_LABEL}`, () => {
  test("a follower on 127.0.0.1 recorded while loopback was allowed gets nothing once the policy refuses it, and is not retried", async () => {
    const alice = peer.actors.alice!;
    const anaIri = `${node.config.publicUrl.origin}/@${ana.handle}`;
    const follow = { "@context": AS, id: `${peer.origin}/follows/1`, type: "Follow", actor: alice.id, object: anaIri };
    assert.equal((await deliver(node, await peer.signedPost(`${anaIri}/inbox`, follow, alice))).status, 202);
    const permissive = startWorkersWith({ PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8" });
    try {
      await peer.waitFor("the Accept, while loopback is allowed", (r) => r.activity.type === "Accept");
      await settled({ database: node.database });
    } finally {
      await permissive.stop();
    }

    // The same database, restarted with the production default: public addresses only.
    const strict = startWorkersWith({});
    try {
      await appendToOutbox(node.database.db, { sender: ana.handle, recipients: "followers", activity: noteToFollowers(1) });
      // Settled: the entry relayed and no delivery left queued, so none is waiting for a retry.
      await settled({ database: node.database });
    } finally {
      await strict.stop();
    }
    assert.deepEqual(peer.received.filter((r) => r.activity.type === "Create"), [], "no POST reached the follower's inbox");
    const refused = refusals.find((r) => String(r.properties.inbox).startsWith(peer.origin));
    assert.ok(refused !== undefined, "the refused delivery is logged");
    assert.equal(refused.properties.activityId, noteToFollowers(1).id);
    assert.match(String(refused.properties.reason), /127\.0\.0\.1 is not a public address/);
  });

  test("an inbox answering 308 to another loopback path: the redirect is not followed, and the delivery is not retried", async () => {
    const workers = startWorkersWith({ PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8" });
    try {
      await appendToOutbox(node.database.db, {
        sender: ana.handle,
        recipients: [{ id: `${redirectingOrigin}/users/mallory`, inbox: `${redirectingOrigin}/inbox` }],
        activity: { ...noteToFollowers(2), to: [`${redirectingOrigin}/users/mallory`] },
      });
      await settled({ database: node.database });
    } finally {
      await workers.stop();
    }
    assert.deepEqual(redirectingHits, ["POST /inbox"], "/latest/meta-data/ received nothing");
  });
});
