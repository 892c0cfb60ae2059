import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { appendToOutbox } from "../../server/modules/outbox/outbox.repository.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, eventually, type LocalMember, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, type SigningPeer } from "../inbox/helpers/signing-peer.ts";
import { settled } from "./listening-node.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let ana: LocalMember;
let ben: LocalMember;

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice"]);
  ana = await createMember(node, "ana");
  ben = await createMember(node, "ben");
  workers = startWorkers(node);
});
after(async () => {
  await workers.stop();
  await peer.close();
  await node.close();
});

/** A member's note addressed to alice, as the outbox stores it (compact JSON-LD). */
function noteFor(member: LocalMember, n: number) {
  const actor = `${node.config.publicUrl.origin}/@${member.handle}`;
  const alice = peer.actors.alice!;
  return {
    sender: member.handle,
    recipients: [{ id: alice.id, inbox: alice.inbox }],
    activity: {
      "@context": AS,
      id: `${actor}/notes/${n}/activity`,
      type: "Create",
      actor,
      to: [alice.id],
      object: { id: `${actor}/notes/${n}`, type: "Note", attributedTo: actor, to: [alice.id], content: `<p>note ${n}</p>` },
    },
  };
}

async function relayedEntry(id: number) {
  return await eventually("the entry relayed", () =>
    node.database.db.selectFrom("outbox").select(["relayed_at", "last_error"]).where("id", "=", id).where("relayed_at", "is not", null).executeTakeFirst(),
  );
}

describe(`the outbox relay on ${ENGINE_LABEL}`, () => {
  test("an entry goes out as stored, HTTP-signed by its sender, with a proof and an LD signature added", async () => {
    const id = await appendToOutbox(node.database.db, noteFor(ana, 1));
    const received = await peer.waitFor("ana's note", (r) => r.activity.id === `${node.config.publicUrl.origin}/@ana/notes/1/activity`);
    assert.equal(received.verified, true);
    assert.equal(received.keyId, `${node.config.publicUrl.origin}/@ana#main-key`);
    assert.equal((received.activity.object as Record<string, unknown>).content, "<p>note 1</p>");
    assert.equal((received.activity.proof as Record<string, unknown>).cryptosuite, "eddsa-jcs-2022");
    assert.equal((received.activity.signature as Record<string, unknown>).type, "RsaSignature2017");
    assert.equal((await relayedEntry(id)).last_error, null);
  });

  test("an entry whose sender is no longer a public actor is dropped, not retried forever", async () => {
    await node.database.db.updateTable("accounts").set({ status: "disabled" }).where("id", "=", ben.accountId).execute();
    const id = await appendToOutbox(node.database.db, noteFor(ben, 2));
    const entry = await relayedEntry(id);
    assert.equal(entry.last_error, null);
    await settled({ database: node.database });
    assert.ok(!peer.received.some((r) => String(r.activity.id).includes("/@ben/")), "nothing was sent in ben's name");
  });
});
