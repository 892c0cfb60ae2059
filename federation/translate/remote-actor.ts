import { type Actor, getActorTypeName, Image } from "@fedify/vocab";
import type { RemoteActorDraft } from "../../server/modules/remote-actors/index.ts";
import { RemoteUsernameSchema, stripBidiControls } from "../../server/modules/remote-actors/remote-actor.schema.ts";
import { sanitizeHtml } from "../../server/platform/text/sanitize-html.ts";

const MAX_NAME = 200;
const MAX_SUMMARY = 20_000;

/** Only web URLs are kept from remote documents (docs/security.md#origins, ORI-11: no javascript:, data:, file:). */
export function webUrl(value: URL | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  try {
    const url = new URL(String(value));
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A fetched remote actor as the draft we store: names as plain text without bidi controls, bio
 * through the allowlist, URLs scheme-checked, handle from preferredUsername@host of its id. Returns
 * null when the actor lacks what federation needs (an id and an inbox) or its preferredUsername is
 * not a username (Mastodon's rule), since a handle made of it could pass for someone else's.
 */
export async function fromRemoteActor(actor: Actor): Promise<RemoteActorDraft | null> {
  const iri = webUrl(actor.id);
  const inbox = webUrl(actor.inboxId);
  if (iri === null || inbox === null) return null;
  const username = actor.preferredUsername === null ? "unknown" : RemoteUsernameSchema.safeParse(String(actor.preferredUsername));
  if (typeof username !== "string" && !username.success) return null;
  // preferredUsername@host of the id, as Mastodon derives it (process_account_service.rb), without
  // a WebFinger round trip: Fedify's getActorHandle would fetch outside our loader's size cap and
  // timeout, and answers `user@` for actors on an IP:port host.
  const handle = `${typeof username === "string" ? username : username.data}@${new URL(iri).host}`.toLowerCase();
  const icon = await actor.getIcon().catch(() => null);
  const iconUrl = icon instanceof Image ? webUrl(icon.url instanceof URL ? icon.url : icon.url?.href) : null;
  const pageUrl = actor.url instanceof URL ? actor.url : actor.url?.href;
  return {
    iri,
    type: getActorTypeName(actor),
    handle,
    name: stripBidiControls(String(actor.name ?? actor.preferredUsername ?? "")).trim().slice(0, MAX_NAME),
    summaryHtml: sanitizeHtml(String(actor.summary ?? "").slice(0, MAX_SUMMARY)),
    url: webUrl(pageUrl),
    iconUrl,
    inbox,
    sharedInbox: webUrl(actor.endpoints?.sharedInbox),
    followersUrl: webUrl(actor.followersId),
  };
}
