import type { Recipient } from "@fedify/vocab";
import { findActorByHandle } from "../server/modules/actors/index.ts";
import { charterAllowsHost } from "../server/modules/charter/charter.service.ts";
import { hostOf } from "../server/modules/charter/peer-policy.ts";
import { listAllFollowers } from "../server/modules/followers/index.ts";
import type { OutboxEntry, OutboxRecipient } from "../server/modules/outbox/index.ts";
import type { FederationDeps } from "./federation-deps.ts";
import { toRecipient } from "./followers.ts";

/**
 * The inboxes an outbox entry goes to: the sender's followers as they are now, or the entry's
 * explicit recipients, less any on a host the charter in force excludes (a host blocked after it
 * followed gets no more posts; Mastodon likewise stops delivering to a domain it suspends).
 */
export async function resolveOutboxRecipients(deps: FederationDeps, entry: OutboxEntry): Promise<Recipient[]> {
  const allowed = await charterAllowsHost(deps.db);
  const recipients = entry.recipients === "followers" ? await followersOf(deps, entry.sender) : entry.recipients.map(toFedifyRecipient);
  return recipients.filter((r) => r.id !== null && r.inboxId !== null && allowed(hostOf(r.id)) && allowed(hostOf(r.inboxId)));
}

async function followersOf(deps: FederationDeps, handle: string): Promise<Recipient[]> {
  const sender = await findActorByHandle(deps.db, handle);
  return sender === undefined ? [] : (await listAllFollowers(deps.db, sender.id)).map(toRecipient);
}

function toFedifyRecipient(r: OutboxRecipient): Recipient {
  return { id: new URL(r.id), inboxId: new URL(r.inbox), endpoints: r.sharedInbox === undefined ? null : { sharedInbox: new URL(r.sharedInbox) } };
}
