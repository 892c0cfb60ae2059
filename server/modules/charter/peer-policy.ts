import type { CharterDocument } from "./charter.schema.ts";

/** Host (with port when not default) of a URL, lower-cased: how charters name peers. */
export function hostOf(url: string | URL): string {
  return new URL(String(url)).host.toLowerCase();
}

/**
 * Whether the charter lets this node federate with `host` at all: allowlist mode admits only the
 * listed hosts, blocklist and open modes refuse the blocked ones. Pure, so every rule is tested alone.
 */
export function isPeerAllowed(charter: CharterDocument, host: string): boolean {
  const h = host.toLowerCase();
  const { mode, allow, block } = charter.federation;
  if (block.includes(h)) return false;
  if (mode === "allowlist") return allow.includes(h);
  return true;
}
