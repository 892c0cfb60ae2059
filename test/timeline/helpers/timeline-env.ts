import type { TestNode } from "../../helpers/test-node.ts";
import type { LocalMember } from "../../inbox/helpers/inbox-env.ts";
import type { PeerActor, SigningPeer } from "../../inbox/helpers/signing-peer.ts";

export const AS = "https://www.w3.org/ns/activitystreams";
export const PUBLIC = `${AS}#Public`;

/**
 * Waits until the node's inbox queue is empty: every delivered activity was handled (a message
 * leaves the queue only after its handler finished). Lets tests assert that something was ignored.
 */
export async function inboxDrained(node: TestNode, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await node.database.db
      .selectFrom("fedify_queue")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("queue", "=", "inbox")
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return;
    if (Date.now() > deadline) throw new Error("timed out waiting for the inbox queue to drain");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let sequence = 0;

/** A Mastodon-shaped public `Create(Note)` (fixture F7, test/fixtures/mastodon/create-reply.json) by `actor`, with overrides on the Note. */
export function createNoteActivity(peer: SigningPeer, actor: PeerActor, note: Record<string, unknown> = {}, activity: Record<string, unknown> = {}) {
  const n = ++sequence;
  const noteId = `${actor.id}/statuses/${n}`;
  return {
    "@context": [AS, { sensitive: "as:sensitive" }],
    id: `${noteId}/activity`,
    type: "Create",
    actor: actor.id,
    published: "2026-08-22T10:00:00Z",
    to: [PUBLIC],
    cc: [`${actor.id}/followers`],
    object: {
      id: noteId,
      type: "Note",
      summary: null,
      inReplyTo: null,
      published: "2026-08-22T10:00:00Z",
      url: `${peer.origin}/@${actor.name}/${n}`,
      attributedTo: actor.id,
      to: [PUBLIC],
      cc: [`${actor.id}/followers`],
      sensitive: false,
      content: `<p>Post number ${n}</p>`,
      attachment: [],
      tag: [],
      ...note,
    },
    ...activity,
  };
}

/** Authorization header of a member's API token. */
export function bearer(member: LocalMember): [string, string] {
  return ["Authorization", `Bearer ${member.token}`];
}
