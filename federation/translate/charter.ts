import type { CharterVersion } from "../../server/modules/charter/index.ts";
import { plainTextToHtml } from "./html.ts";

/**
 * Our vocabulary's placeholder namespace (the same as the directory
 * entries' in translate/directory-entry.ts). The terms are defined inline, so no context is fetched.
 */
const CN_NAMESPACE = "https://w3id.org/commonsnet/ns#";

const list = (term: string) => ({ "@id": `cn:${term}`, "@container": "@set" });
const integer = (term: string) => ({ "@id": `cn:${term}`, "@type": "xsd:integer" });

/** The charter's terms, inline: a JSON-LD processor expands them without fetching a context document. */
export const CHARTER_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    cn: CN_NAMESPACE,
    xsd: "http://www.w3.org/2001/XMLSchema#",
    concreteType: "cn:concreteType",
    version: integer("version"),
    supersedes: { "@id": "cn:supersedes", "@type": "@id" },
    registration: "cn:registration",
    federation: "cn:federation",
    mode: "cn:mode",
    allow: list("allow"),
    block: list("block"),
    directory: "cn:directory",
    acceptKinds: list("acceptKinds"),
    hopLimit: integer("hopLimit"),
    licences: list("licences"),
    moderation: "cn:moderation",
    contact: "cn:contact",
  },
] as const;

export interface CharterDocumentUris {
  /** This version's permanent URL, `/charter/v{n}`. */
  readonly id: URL;
  /** The current charter's stable URL, `/charter`. */
  readonly current: URL;
  /** The previous version's permanent URL, if any. */
  readonly supersedes: URL | null;
  /** The node actor, which the charter governs. */
  readonly nodeActor: URL;
}

/**
 * A charter version as a JSON-LD `Document`: the AS fields any reader
 * understands (name, summary with the change note, url, published) and the rules themselves under
 * the commonsnet namespace. Built as plain JSON because Fedify's vocabulary drops unknown terms.
 */
export function toCharterDocument(version: CharterVersion, uris: CharterDocumentUris, nodeName: string): Record<string, unknown> {
  const { document } = version;
  return {
    "@context": CHARTER_CONTEXT,
    id: uris.id.href,
    type: "Document",
    concreteType: "NodeCharter",
    name: `Charter of ${nodeName}, version ${version.version}`,
    ...(version.note !== "" && { summary: plainTextToHtml(version.note) }),
    url: uris.current.href,
    attributedTo: uris.nodeActor.href,
    published: version.createdAt.toISOString(),
    version: version.version,
    ...(uris.supersedes !== null && { supersedes: uris.supersedes.href }),
    registration: document.registration,
    federation: { mode: document.federation.mode, allow: document.federation.allow, block: document.federation.block },
    directory: { acceptKinds: document.directory.acceptKinds, hopLimit: document.directory.hopLimit },
    licences: document.licences,
    moderation: document.moderation,
    contact: document.contact,
  };
}
