import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireAdmin } from "../http/viewer.ts";
import { invalidInput } from "../platform/errors.ts";
import { PEER_STATES, type PeerView } from "../modules/peers/index.ts";
import { ConnectPeerSchema, PeerIdSchema } from "../modules/peers/peer.schema.ts";
import { type ApiOperation, error, itemsOf, type JsonOf, Timestamp, Url } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** A peer as the API shows it. */
export function toPeerJson(peer: PeerView): JsonOf<typeof PeerJson> {
  return {
    id: peer.id,
    host: peer.host,
    actor: peer.actorIri,
    name: peer.name,
    state: peer.state,
    weFollow: peer.weFollow,
    theyFollow: peer.theyFollow,
    createdAt: peer.createdAt.toISOString(),
  };
}

/** The node's peers (admins): connect to another node, list, approve a request, disconnect. */
export function createPeersApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const { peers } = deps.services;
  const peerId = (value: string | undefined) => {
    const id = PeerIdSchema.safeParse(value);
    if (!id.success) throw invalidInput(id.error);
    return id.data;
  };

  api.get("/admin/peers", async (c) => {
    requireAdmin(c);
    return c.json({ items: (await peers.list()).map(toPeerJson) });
  });

  api.post("/admin/peers", async (c) => {
    const admin = requireAdmin(c);
    const input = await readJson(c, ConnectPeerSchema);
    const { peer, created } = await peers.connect(input.url, { accountId: admin.id, handle: admin.handle });
    return c.json(toPeerJson(peer), created ? 201 : 200);
  });

  api.post("/admin/peers/:id/approve", async (c) => {
    const admin = requireAdmin(c);
    const peer = await peers.approve(peerId(c.req.param("id")), { accountId: admin.id, handle: admin.handle });
    return c.json(toPeerJson(peer));
  });

  api.delete("/admin/peers/:id", async (c) => {
    requireAdmin(c);
    await peers.disconnect(peerId(c.req.param("id")));
    return c.body(null, 204);
  });

  return api;
}

const FOLLOW_STATES = ["none", "pending", "accepted"] as const;
const PeerJson = z
  .object({
    id: z.number().int(),
    host: z.string().meta({ description: "host[:port], as charters name peers" }),
    actor: Url.meta({ description: "The other node's actor" }),
    name: z.string(),
    state: z.enum(PEER_STATES).meta({
      description:
        "connected: both node actors follow each other; awaiting-approval: they asked, an admin here must approve; requested: we asked, they have not accepted yet; pending: otherwise",
    }),
    weFollow: z.enum(FOLLOW_STATES),
    theyFollow: z.enum(FOLLOW_STATES),
    createdAt: Timestamp,
  })
  .meta({ id: "Peer" });
const IdParams = z.object({ id: PeerIdSchema });
const TAG = ["peers"];

export const peersOperations: readonly ApiOperation[] = [
  {
    method: "get",
    path: "/v1/admin/peers",
    operationId: "listPeers",
    tags: TAG,
    summary: "List the nodes this node federates its directory with, with their state (admins)",
    auth: true,
    responses: { 200: { description: "The peers, oldest first", schema: itemsOf(PeerJson) }, 403: error("Not an admin") },
  },
  {
    method: "post",
    path: "/v1/admin/peers",
    operationId: "connectPeer",
    tags: TAG,
    summary: "Connect to another node (admins)",
    description:
      "`url` is the node's address, e.g. https://city.example. Finds the node's actor through its NodeInfo (metadata.nodeActor, on the same host), then our node actor follows it. The other node accepts by its charter (at once in open mode, after an admin's approval in allowlist mode) and follows back. A host this node's charter excludes is refused (422).",
    auth: true,
    body: { schema: ConnectPeerSchema },
    responses: {
      201: { description: "The new peer (state requested, or connected once it accepts)", schema: PeerJson },
      200: { description: "Already a peer: unchanged, or its pending request approved", schema: PeerJson },
      403: error("Not an admin"),
      422: error("Not a reachable node, or excluded by the charter"),
    },
  },
  {
    method: "post",
    path: "/v1/admin/peers/{id}/approve",
    operationId: "approvePeer",
    tags: TAG,
    summary: "Approve a node that asked to connect (admins)",
    description: "In allowlist mode its host is added to the charter's allowlist (a new version, note \"Approved peer <host>\"); its Follow is accepted and followed back.",
    auth: true,
    pathParams: IdParams,
    responses: { 200: { description: "The peer", schema: PeerJson }, 403: error("Not an admin"), 404: error("No such peer"), 409: error("Nothing to approve, or blocked") },
  },
  {
    method: "delete",
    path: "/v1/admin/peers/{id}",
    operationId: "disconnectPeer",
    tags: TAG,
    summary: "Disconnect from a peer (admins)",
    description: "Our Follow is undone and theirs rejected; the peer and every directory entry it gave us are removed.",
    auth: true,
    pathParams: IdParams,
    responses: { 204: { description: "Disconnected" }, 403: error("Not an admin"), 404: error("No such peer") },
  },
];
