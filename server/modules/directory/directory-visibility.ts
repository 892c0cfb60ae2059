import { canonicalHosts } from "../../platform/hosts.ts";
import type { CharterDocument } from "../charter/charter.schema.ts";
import type { DirectoryVisibility } from "./directory.queries.ts";

/** What the charter in force lets the directory show (read per request, like the edge guard). */
export function directoryVisibility(charter: CharterDocument, publicUrl: URL): DirectoryVisibility {
  return {
    localHost: publicUrl.host.toLowerCase(),
    mode: charter.federation.mode,
    allow: canonicalHosts(charter.federation.allow),
    block: canonicalHosts(charter.federation.block),
  };
}
