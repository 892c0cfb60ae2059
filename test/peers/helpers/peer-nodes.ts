import { insertAccount } from "../../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../../server/modules/actors/actor.repository.ts";
import { eventually, type ListeningNode, startListeningNode } from "../../federation/listening-node.ts";

/**
 * Nodes for peering tests: each listens on its own loopback port with its own database, queue workers
 * and outbox relay (test/federation/listening-node.ts), and has an admin with an API token. Charters
 * name peers by host and ignore ports, so each node listens on its own loopback address (127.0.0.1x).
 */
export interface PeerNode extends ListeningNode {
  readonly label: string;
  readonly host: string;
  /** Bearer token of an admin of this node (who also maintains its projects). */
  readonly adminToken: string;
}

export async function startPeerNode(label: string): Promise<PeerNode> {
  const address = `127.0.0.${10 + label.charCodeAt(0) - "A".charCodeAt(0)}`;
  const node = await startListeningNode({ REGISTRATION: "open", NODE_NAME: `Node ${label}` }, address);
  const actor = await insertActor(node.database.db, { handle: `admin${label.toLowerCase()}`, kind: "person", name: `Admin of ${label}`, summary: "" });
  const accountId = await insertAccount(node.database.db, { actorId: actor!.id, passwordHash: "unused", role: "admin", status: "active" });
  const { token } = await createApiToken(node.database.db, accountId, "peering tests");
  return Object.assign(node, { label, host: new URL(node.origin).host, adminToken: token });
}

export interface ApiResult {
  readonly status: number;
  readonly body: any;
}

/** A JSON API call as the node's admin (or anonymously with `as: null`). */
export async function api(node: PeerNode, method: string, path: string, body?: unknown, as: string | null = node.adminToken): Promise<ApiResult> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (as !== null) headers.Authorization = `Bearer ${as}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${node.origin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

export interface CharterRules {
  readonly mode: "open" | "allowlist" | "blocklist";
  readonly allow?: readonly PeerNode[];
  readonly block?: readonly PeerNode[];
  readonly hopLimit: number;
  readonly note?: string;
}

/** A new charter version through the admin API (PUT /api/v1/admin/charter). */
export async function setCharter(node: PeerNode, rules: CharterRules): Promise<ApiResult> {
  const document = {
    registration: "open",
    federation: { mode: rules.mode, allow: (rules.allow ?? []).map((n) => n.host), block: (rules.block ?? []).map((n) => n.host) },
    directory: { acceptKinds: ["project", "coop", "design", "facility"], hopLimit: rules.hopLimit },
    licences: [],
    moderation: "",
    contact: "",
    note: rules.note ?? `Test rules: ${rules.mode}, hop limit ${rules.hopLimit}`,
  };
  const result = await api(node, "PUT", "/api/v1/admin/charter", document);
  if (result.status !== 201 && result.status !== 200) throw new Error(`PUT charter on ${node.label}: ${result.status} ${JSON.stringify(result.body)}`);
  return result;
}

/** A listed project with a place, through the API. */
export async function createListedProject(node: PeerNode, handle: string, place: { name: string; latitude: number; longitude: number; country: string }, tags: string[]): Promise<string> {
  const result = await api(node, "POST", "/api/v1/projects", {
    handle,
    name: `${handle} project`,
    summary: `The ${handle} project of node ${node.label}.`,
    tags,
    location: { name: place.name, latitude: place.latitude, longitude: place.longitude, locality: place.name, country: place.country },
  });
  if (result.status !== 201) throw new Error(`POST /api/v1/projects on ${node.label}: ${result.status} ${JSON.stringify(result.body)}`);
  return `${node.origin}/directory/entries/${handle}`;
}

export interface PeerJson {
  readonly id: number;
  readonly host: string;
  readonly actor: string;
  readonly name: string;
  readonly state: string;
  readonly weFollow: string;
  readonly theyFollow: string;
}

export async function peersOf(node: PeerNode): Promise<PeerJson[]> {
  const result = await api(node, "GET", "/api/v1/admin/peers");
  if (result.status !== 200) throw new Error(`GET peers on ${node.label}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.items as PeerJson[];
}

export async function peerOf(node: PeerNode, other: PeerNode): Promise<PeerJson | undefined> {
  return (await peersOf(node)).find((p) => p.host === other.host);
}

/** The IRIs a node's directory lists (the public search API, 100 at most). */
export async function directoryIris(node: PeerNode): Promise<string[]> {
  const result = await api(node, "GET", "/api/v1/directory?page_size=100", undefined, null);
  if (result.status !== 200) throw new Error(`GET directory on ${node.label}: ${result.status} ${JSON.stringify(result.body)}`);
  return (result.body.items as { iri: string }[]).map((i) => i.iri).sort();
}

/** Waits until the node's directory lists exactly `iris`. */
export async function directoryIs(node: PeerNode, iris: readonly string[], timeoutMs = 20_000): Promise<void> {
  const expected = [...iris].sort();
  let last: string[] = [];
  try {
    await eventually(
      `${node.label}'s directory to be ${JSON.stringify(expected)}`,
      async () => {
        last = await directoryIris(node);
        return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it lists ${JSON.stringify(last)}`);
  }
}

/** Waits until `node` sees `other` in `state`. */
export async function peerStateIs(node: PeerNode, other: PeerNode, state: string, timeoutMs = 20_000): Promise<PeerJson> {
  return await eventually(`${node.label} to see ${other.label} as ${state}`, async () => {
    const peer = await peerOf(node, other);
    return peer?.state === state ? peer : undefined;
  }, timeoutMs);
}

export { eventually, settled } from "../../federation/listening-node.ts";
