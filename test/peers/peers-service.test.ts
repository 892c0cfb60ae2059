import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createNodeResolver } from "../../federation/peering/connect.ts";
import { createPeeringPort } from "../../federation/peering/peering-port.ts";
import { createPeersService, type PeerDraft, type PeersService } from "../../server/modules/peers/index.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { adminToken } from "../accounts/account-helpers.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";

// The peers service is made once at start with its ports; the resolver is one of them, so a node
// found elsewhere can be handed to it directly. What it stores is what the API and the admin page show.
let node: TestNode;
let token: string;
let peers: PeersService;
const ADMIN = { accountId: 1, handle: "root_admin" };

const draftFor = (host: string): PeerDraft => ({
  host,
  actorIri: `https://${host}/@node`,
  inbox: `https://${host}/@node/inbox`,
  sharedInbox: `https://${host}/inbox`,
  name: `Node of ${host}`,
});

before(async () => {
  node = await createTestNode();
  token = await adminToken(node);
  const ctx = node.federation.createContext(new URL(node.config.publicUrl), node.deps);
  const resolveNode = async (address: URL) => draftFor(address.host);
  peers = createPeersService({ db: node.deps.db, registration: node.config.registration, port: createPeeringPort(ctx), resolveNode });
});
after(async () => await node.close());

const apiPeers = async () => (await node.http.get("/api/v1/admin/peers").set("Authorization", `Bearer ${token}`).expect(200)).body.items;

describe(`the peers service made at start on ${ENGINE_LABEL}`, () => {
  test("the node's services include peers, charter and directory, answering as the API does", async () => {
    assert.deepEqual(await node.services.peers.list(), []);
    const current = await node.services.charter.current();
    assert.equal((await node.http.get("/api/v1/charter").expect(200)).body.version, current.version);
    assert.equal((await node.services.directory.search({ text: undefined, tags: [], kind: undefined, node: undefined, point: undefined, radiusKm: undefined, locality: undefined, region: undefined, country: undefined, bioregion: undefined, sort: "updated", page: 1, pageSize: 30 })).total, 0);
  });

  test("a connection it makes is what the API lists: requested, our Follow on its way", async () => {
    const { peer, created } = await peers.connect(new URL("https://city-b.test"), ADMIN);
    assert.equal(created, true);
    assert.equal(peer.state, "requested");
    assert.equal(peer.weFollow, "pending");
    assert.match(peer.ourFollowIri ?? "", /^https:\/\/city-a\.test\//, "the Follow's id is minted at PUBLIC_URL");
    const [listed] = await apiPeers();
    assert.deepEqual({ host: listed.host, state: listed.state, weFollow: listed.weFollow }, { host: "city-b.test", state: "requested", weFollow: "pending" });
    const again = await peers.connect(new URL("https://city-b.test"), ADMIN);
    assert.equal(again.created, false);
  });

  test("a host the charter blocks is refused on url, and nothing is stored", async () => {
    const current = await node.services.charter.current();
    const rules = current.document;
    const revised = await node.services.charter.revise({ ...rules, federation: { ...rules.federation, mode: "blocklist", block: ["spam.test"] }, note: "Block spam", basedOn: current.version }, null);
    assert.equal(revised.outcome, "created");
    await assert.rejects(peers.connect(new URL("https://spam.test"), ADMIN), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.kind, "invalid_input");
      assert.equal(error.issues?.[0]?.path, "url");
      assert.match(error.message, /spam\.test is not federated with under this node's charter/);
      return true;
    });
    assert.deepEqual((await apiPeers()).map((p: { host: string }) => p.host), ["city-b.test"]);
  });

  test("disconnecting forgets the peer for the API too; an unknown id is not found", async () => {
    const [listed] = await peers.list();
    assert.ok(listed);
    await peers.disconnect(listed.id);
    assert.deepEqual(await apiPeers(), []);
    await assert.rejects(peers.disconnect(listed.id), (error: unknown) => error instanceof DomainError && error.kind === "not_found");
  });

  test("the node's own resolver turns its own address into a 422 on url, not an error page", async () => {
    const resolve = createNodeResolver(node.federation.createContext(new URL(node.config.publicUrl), node.deps));
    await assert.rejects(resolve(new URL("https://city-a.test")), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.kind, "invalid_input");
      assert.equal(error.message, "url: That is this node's own address.");
      return true;
    });
  });
});
