import type { Context } from "@fedify/fedify";
import type { Actor } from "../../server/modules/actors/index.ts";
import type { FederationDeps } from "../federation-deps.ts";

/** The local actor an IRI names, if it is one of ours. */
export async function localActorOf(ctx: Context<FederationDeps>, iri: URL | null): Promise<Actor | undefined> {
  if (iri === null) return undefined;
  const parsed = ctx.parseUri(iri);
  if (parsed?.type !== "actor") return undefined;
  const actor = await ctx.data.services.actors.byHandle(parsed.identifier);
  return actor?.handle === parsed.identifier ? actor : undefined;
}
