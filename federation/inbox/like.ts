import type { InboxContext } from "@fedify/fedify";
import type { Like } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { FederationDeps } from "../federation-deps.ts";
import { recordNoteInteraction } from "./note-interactions.ts";

const logger = getLogger(["commonsnet", "inbox", "like"]);

/** Mastodon's favourite (like_serializer.rb, favourite_service.rb): sent to the author's personal inbox, no addressing. */
export async function onLike(ctx: InboxContext<FederationDeps>, like: Like): Promise<void> {
  await recordNoteInteraction(ctx, like, "like", logger);
}
