import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createBlobStore } from "../../../server/platform/blob-store/index.ts";
import { createMaintainer, type Maintainer, startListeningNode } from "../../federation/listening-node.ts";
import { api, type ApiResult, type PeerNode } from "../../peers/helpers/peer-nodes.ts";
import { insertActor } from "../../../server/modules/actors/actor.repository.ts";
import { insertAccount } from "../../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../../server/modules/accounts/credential.repository.ts";

/**
 * Nodes for fork tests: real nodes on their own loopback addresses (charters tell hosts apart, not
 * ports), each with its own storage root (so a file one node stored is never already at another), an
 * admin token and a member who makes designs.
 */
export interface ForkNode extends PeerNode {
  readonly member: Maintainer;
  readonly storageDir: string;
}

export async function startForkNode(label: string, address: string, env: Record<string, string> = {}): Promise<ForkNode> {
  const storageDir = await mkdtemp(join(tmpdir(), `cn-forks-${label}-`));
  const node = await startListeningNode({ REGISTRATION: "open", NODE_NAME: `Node ${label}`, STORAGE_DIR: storageDir, ...env }, address);
  const admin = await insertActor(node.database.db, { handle: `admin${label.toLowerCase()}`, kind: "person", name: `Admin of ${label}`, summary: "" });
  const accountId = await insertAccount(node.database.db, { actorId: admin!.id, passwordHash: "unused", role: "admin", status: "active" });
  const { token } = await createApiToken(node.database.db, accountId, "fork tests");
  const member = await createMaintainer(node, `maker${label.toLowerCase()}`);
  const close = node.close;
  return Object.assign(node, {
    label,
    host: new URL(node.origin).host,
    adminToken: token,
    member,
    storageDir,
    async close() {
      await close();
      await rm(storageDir, { recursive: true, force: true });
    },
  });
}

/** The SHA-256 digests stored in a node's blob store. */
export async function storedBlobs(node: ForkNode): Promise<string[]> {
  const entries = await readdir(join(node.storageDir, "sha256"), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
}

/** Puts bytes in the node's blob store, as an upload would. */
export async function putBlob(node: ForkNode, bytes: Buffer): Promise<{ sha256: string; size: number }> {
  const blob = await createBlobStore(node.config.storageDir).put(Readable.from([bytes]), { maxBytes: node.config.designFileMaxBytes });
  return { sha256: blob.sha256, size: blob.size };
}

/** A JSON API call as the node's member. */
export async function asMember(node: ForkNode, method: string, path: string, body?: unknown): Promise<ApiResult> {
  return await api(node, method, path, body, node.member.token);
}

export interface CharterOptions {
  readonly mode?: "open" | "allowlist" | "blocklist";
  readonly allow?: readonly string[];
  readonly block?: readonly string[];
  readonly licences?: readonly string[];
  readonly note: string;
}

/** A new charter version through the admin API, with a licences rule. */
export async function setForkCharter(node: ForkNode, options: CharterOptions): Promise<void> {
  const document = {
    registration: "open",
    federation: { mode: options.mode ?? "open", allow: options.allow ?? [], block: options.block ?? [] },
    directory: { acceptKinds: ["project", "coop", "design", "facility"], hopLimit: 1 },
    licences: options.licences ?? [],
    moderation: "",
    contact: "",
    note: options.note,
  };
  const result = await api(node, "PUT", "/api/v1/admin/charter", document);
  if (result.status !== 201 && result.status !== 200) throw new Error(`PUT charter on ${node.label}: ${result.status} ${JSON.stringify(result.body)}`);
}
