import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { appendToOutbox } from "../../server/modules/outbox/outbox.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createFakePeer, type FakePeer } from "../helpers/fake-peer.ts";
import { settled } from "../federation/listening-node.ts";
import { adminToken, html, webLogin } from "../accounts/account-helpers.ts";
import { createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";

// An inbox that refuses an activity (400, 403, 422) will refuse it again: it gets one attempt (with
// Fedify's signature fallback, at most two POSTs), the refusal is recorded for the admins, and the
// delivery is not retried for 72 hours. A 500 may pass, so it is retried.
const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let workers: { stop(): Promise<void> };
let ana: LocalMember;
let admin: string;
const peers: FakePeer[] = [];

before(async () => {
  node = await createInboxTestNode();
  ana = await createMember(node, "ana");
  admin = await adminToken(node, "root_admin");
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await Promise.all(peers.map((p) => p.close()));
  await node.close();
});

async function peerAnswering(status: number): Promise<FakePeer> {
  const peer = await createFakePeer("reader");
  peer.setResponder(() => status);
  peers.push(peer);
  return peer;
}

let serial = 0;
async function sendNoteTo(peer: FakePeer): Promise<string> {
  const actor = `${node.config.publicUrl.origin}/@${ana.handle}`;
  const id = `${actor}/notes/${++serial}/activity`;
  await appendToOutbox(node.database.db, {
    sender: ana.handle,
    recipients: [{ id: peer.actorId, inbox: peer.inbox }],
    activity: {
      "@context": AS,
      id,
      type: "Create",
      actor,
      to: [peer.actorId],
      object: { id: `${actor}/notes/${serial}`, type: "Note", attributedTo: actor, to: [peer.actorId], content: `<p>note ${serial}</p>` },
    },
  });
  return id;
}

const hostOf = (peer: FakePeer) => new URL(peer.origin).host;
const deliveryHealth = async () => (await node.http.get("/api/v1/admin/delivery-health").set("Authorization", `Bearer ${admin}`).expect(200)).body;

describe(`deliveries an inbox refuses (${ENGINE_LABEL})`, () => {
  for (const status of [422, 400, 403]) {
    test(`a ${status} gets one attempt (plus the signature fallback), is not retried, and is recorded for the admins`, async () => {
      const peer = await peerAnswering(status);
      const id = await sendNoteTo(peer);
      await peer.waitForDelivery("the first attempt", (d) => d.activityId === id);
      // Drained: no retry waits in the queue (a retry would keep it from draining).
      await settled({ database: node.database });
      const attempts = peer.deliveries.filter((d) => d.activityId === id);
      assert.ok(attempts.length >= 1 && attempts.length <= 2, `one attempt and at most one fallback, got ${attempts.length}`);

      const { hosts, rejections } = await deliveryHealth();
      const host = hosts.find((h: { host: string }) => h.host === hostOf(peer));
      assert.ok(host, "the host is listed");
      assert.equal(host.lastFailureStatus, status);
      assert.equal(host.permanentFailures, 1);
      assert.equal(host.held, false);
      const rejection = rejections.find((r: { host: string }) => r.host === hostOf(peer));
      assert.equal(rejection?.status, status);
      assert.equal(rejection?.activityId, id);
      assert.equal(rejection?.activityType, "Create");
    });
  }

  test("a 500 is retried later, and counts as a failure in a row, not a refusal", async () => {
    const peer = await peerAnswering(500);
    const id = await sendNoteTo(peer);
    await peer.waitForDelivery("the first attempt", (d) => d.activityId === id);
    const retry = await eventually("a retry scheduled", async () => {
      const row = await node.database.db
        .selectFrom("fedify_queue")
        .select("id")
        .where("queue", "=", "outbox")
        .where("run_at", ">", sql<Date>`now()`)
        .executeTakeFirst();
      return row;
    });
    assert.ok(retry);
    const host = await eventually("the failure recorded", async () => {
      const { hosts } = await deliveryHealth();
      return hosts.find((h: { host: string; consecutiveFailures: number }) => h.host === hostOf(peer) && h.consecutiveFailures >= 1);
    });
    assert.equal(host.lastFailureStatus, 500);
    assert.equal(host.permanentFailures, 0);
    assert.equal((await deliveryHealth()).rejections.some((r: { host: string }) => r.host === hostOf(peer)), false);
    // The retry would come in a minute or so; this test does not wait for it.
    await node.database.db.deleteFrom("fedify_queue").where("queue", "=", "outbox").execute();
  });

  test("a host that keeps failing is shown as held once Fedify's circuit breaker holds its deliveries", async () => {
    const peer = await peerAnswering(500);
    // Fedify opens the circuit after 5 failures within 10 minutes (its default threshold).
    for (let i = 0; i < 5; i++) await sendNoteTo(peer);
    const host = await eventually("the host held", async () => {
      const { hosts } = await deliveryHealth();
      return hosts.find((h: { host: string; held: boolean }) => h.host === hostOf(peer) && h.held);
    });
    assert.equal(host.circuitState, "open");
    assert.ok(host.consecutiveFailures >= 5, `failures in a row: ${host.consecutiveFailures}`);
    assert.equal((await deliveryHealth()).hosts[0].host, hostOf(peer), "held hosts come first");
    await node.database.db.deleteFrom("fedify_queue").where("queue", "=", "outbox").execute();
  });

  test("a host that accepts shows its last success, and the admins' page shows every host", async () => {
    const peer = await peerAnswering(202);
    const id = await sendNoteTo(peer);
    await peer.waitForDelivery("the delivery", (d) => d.activityId === id);
    const host = await eventually("the success recorded", async () => {
      const { hosts } = await deliveryHealth();
      return hosts.find((h: { host: string; lastSuccessAt: string | null }) => h.host === hostOf(peer) && h.lastSuccessAt !== null);
    });
    assert.equal(host.consecutiveFailures, 0);
    assert.equal(host.totalFailures, 0);

    const cookie = await webLogin(node, "root_admin");
    const page = html((await node.http.get("/admin/accounts").set("Cookie", cookie).expect(200)).text);
    const rows = [...page.querySelectorAll(".delivery-hosts tbody tr")].map((r) => r.getAttribute("data-host"));
    for (const p of peers) assert.ok(rows.includes(hostOf(p)), `${hostOf(p)} on the page`);
    const refused = page.querySelector(`.delivery-hosts tr[data-host="${hostOf(peers[0]!)}"] .permanent-failures`)?.textContent;
    assert.equal(refused, "1");
    assert.match(page.querySelector(".delivery-rejections")?.textContent ?? "", /422/);

    // Members do not see it.
    await node.http.get("/api/v1/admin/delivery-health").set("Authorization", `Bearer ${ana.token}`).expect(403);
  });
});
