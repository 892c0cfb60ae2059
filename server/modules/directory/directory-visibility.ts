import type { Config } from "../../platform/config.ts";
import { canonicalHosts } from "../../platform/hosts.ts";
import type { Db } from "../../db/database.ts";
import { currentCharter } from "../charter/charter.repository.ts";
import type { DirectoryVisibility } from "./directory.queries.ts";

/** What the charter in force lets the directory show (read per request, like the edge guard). */
export async function directoryVisibility(deps: { readonly db: Db; readonly config: Config }): Promise<DirectoryVisibility> {
  const { document } = await currentCharter(deps.db, deps.config.registration);
  return {
    localHost: deps.config.publicUrl.host.toLowerCase(),
    mode: document.federation.mode,
    allow: canonicalHosts(document.federation.allow),
    block: canonicalHosts(document.federation.block),
  };
}
