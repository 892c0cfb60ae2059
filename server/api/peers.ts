import { Hono } from "hono";
import { connectToNode, peeringPortFor } from "../../federation/peering/connect.ts";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireAdmin } from "../http/viewer.ts";
import { invalidInput } from "../platform/errors.ts";
import { listPeers, type Peer } from "../modules/peers/index.ts";
import { ConnectPeerSchema, PeerIdSchema } from "../modules/peers/peer.schema.ts";
import { PEER_STATES, peerState } from "../modules/peers/peer-state.ts";
import { approvePeer, disconnectPeer } from "../modules/peers/peering.ts";
import { BEARER, ERROR_SCHEMA, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";
import { readJson } from "../http/read-json.ts";

/** A peer as the API shows it. */
export function toPeerJson(peer: Peer) {
  return {
    id: peer.id,
    host: peer.host,
    actor: peer.actorIri,
    name: peer.name,
    state: peerState(peer.weFollow, peer.theyFollow),
    weFollow: peer.weFollow,
    theyFollow: peer.theyFollow,
    createdAt: peer.createdAt.toISOString(),
  };
}

/** The node's peers (admins): connect to another node, list, approve a request, disconnect. */
export function createPeersApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();
  const peerId = (value: string | undefined) => {
    const id = PeerIdSchema.safeParse(value);
    if (!id.success) throw invalidInput(id.error);
    return id.data;
  };

  api.get("/admin/peers", async (c) => {
    requireAdmin(c);
    return c.json({ items: (await listPeers(deps.db)).map(toPeerJson) });
  });

  api.post("/admin/peers", async (c) => {
    const admin = requireAdmin(c);
    const input = await readJson(c, ConnectPeerSchema);
    const { peer, created } = await connectToNode(deps.federation, deps, c.req.raw, input.url, { accountId: admin.id, handle: admin.handle });
    return c.json(toPeerJson(peer), created ? 201 : 200);
  });

  api.post("/admin/peers/:id/approve", async (c) => {
    const admin = requireAdmin(c);
    const port = peeringPortFor(deps.federation, deps, c.req.raw);
    const peer = await approvePeer(deps.db, deps.config.registration, peerId(c.req.param("id")), port, { accountId: admin.id, handle: admin.handle });
    return c.json(toPeerJson(peer));
  });

  api.delete("/admin/peers/:id", async (c) => {
    requireAdmin(c);
    await disconnectPeer(deps.db, peerId(c.req.param("id")), peeringPortFor(deps.federation, deps, c.req.raw));
    return c.body(null, 204);
  });

  return api;
}

const error = (description: string) => jsonResponse(description, ERROR_SCHEMA);
const PEER_SCHEMA = {
  type: "object",
  required: ["id", "host", "actor", "name", "state", "weFollow", "theyFollow"],
  properties: {
    id: { type: "integer" },
    host: { type: "string", description: "host[:port], as charters name peers" },
    actor: { type: "string", format: "uri", description: "The other node's actor" },
    name: { type: "string" },
    state: {
      type: "string",
      enum: [...PEER_STATES],
      description: "connected: both node actors follow each other; awaiting-approval: they asked, an admin here must approve; requested: we asked, they have not accepted yet; pending: otherwise",
    },
    weFollow: { type: "string", enum: ["none", "pending", "accepted"] },
    theyFollow: { type: "string", enum: ["none", "pending", "accepted"] },
    createdAt: { type: "string", format: "date-time" },
  },
};
const ID_PARAM = [{ name: "id", in: "path", required: true, schema: { type: "integer" } }];

export const peersOpenApi: OpenApiPaths = {
  "/v1/admin/peers": {
    get: {
      summary: "List the nodes this node federates its directory with, with their state (admins)",
      tags: ["peers"],
      security: BEARER,
      responses: { 200: jsonResponse("The peers, oldest first", { type: "object", required: ["items"], properties: { items: { type: "array", items: PEER_SCHEMA } } }), 403: error("Not an admin") },
    },
    post: {
      summary: "Connect to another node (admins)",
      description:
        "Finds the node's actor through its NodeInfo (metadata.nodeActor, on the same host), then our node actor follows it. The other node accepts by its charter (at once in open mode, after an admin's approval in allowlist mode) and follows back. A host this node's charter excludes is refused (422).",
      tags: ["peers"],
      security: BEARER,
      requestBody: jsonBody({ type: "object", required: ["url"], properties: { url: { type: "string", description: "The node's address, e.g. https://city.example" } } }),
      responses: {
        201: jsonResponse("The new peer (state requested, or connected once it accepts)", PEER_SCHEMA),
        200: jsonResponse("Already a peer: unchanged, or its pending request approved", PEER_SCHEMA),
        403: error("Not an admin"),
        422: error("Not a reachable node, or excluded by the charter"),
      },
    },
  },
  "/v1/admin/peers/{id}/approve": {
    post: {
      summary: "Approve a node that asked to connect (admins)",
      description: "In allowlist mode its host is added to the charter's allowlist (a new version, note \"Approved peer <host>\"); its Follow is accepted and followed back.",
      tags: ["peers"],
      security: BEARER,
      parameters: ID_PARAM,
      responses: { 200: jsonResponse("The peer", PEER_SCHEMA), 403: error("Not an admin"), 404: error("No such peer"), 409: error("Nothing to approve, or blocked") },
    },
  },
  "/v1/admin/peers/{id}": {
    delete: {
      summary: "Disconnect from a peer (admins)",
      description: "Our Follow is undone and theirs rejected; the peer and every directory entry it gave us are removed.",
      tags: ["peers"],
      security: BEARER,
      parameters: ID_PARAM,
      responses: { 204: jsonResponse("Disconnected"), 403: error("Not an admin"), 404: error("No such peer") },
    },
  },
};
