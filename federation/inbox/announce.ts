import type { InboxContext } from "@fedify/fedify";
import type { Announce } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { recordNoteInteraction } from "./note-interactions.ts";

const logger = getLogger(["commonsnet", "inbox", "announce"]);

/**
 * A boost of one of our notes (announce_note_serializer.rb: to our shared inbox, object = the note's IRI).
 * Boosts of other servers' posts are not ours to count.
 */
export async function onAnnounce(ctx: InboxContext<FederationDeps>, announce: Announce): Promise<void> {
  await recordNoteInteraction(ctx, announce, "announce", logger);
}
