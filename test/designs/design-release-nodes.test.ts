import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { api, type PeerNode, peerStateIs, setCharter, settled, startPeerNode } from "../peers/helpers/peer-nodes.ts";

/**
 * Two real Commonsnet nodes, connected: a release published on A reaches B as `Create(Release)` and
 * B's inbox takes it (signatures, proofs and the Release's inline terms all pass B's checks).
 */
describe(`a release on one node reaches its peer node (${ENGINE_LABEL})`, () => {
  let a: PeerNode;
  let b: PeerNode;

  before(async () => {
    a = await startPeerNode("A");
    b = await startPeerNode("B");
    await setCharter(a, { mode: "open", hopLimit: 1 });
    await setCharter(b, { mode: "open", hopLimit: 1 });
    assert.equal((await api(a, "POST", "/api/v1/admin/peers", { url: b.origin })).status, 201);
    await peerStateIs(a, b, "connected");
    await peerStateIs(b, a, "connected");
    await settled(a);
    await settled(b);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  test("B's inbox accepts A's Create(Release): A's delivery is recorded as done, with no refusal", async () => {
    const created = await api(a, "POST", "/api/v1/designs", { handle: "solar-dryer", name: "Solar dryer", licence: "CERN-OHL-S-2.0" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const maintainer = (await a.database.db.selectFrom("actors").select("id").where("handle", "=", "admina").executeTakeFirstOrThrow()).id;
    await a.services.designs.publishRelease(maintainer, "solar-dryer", ReleaseInputSchema.parse({ version: "1.0.0", notes: "First" }), []);
    await settled(a);
    await settled(b);
    const rows = await a.database.db.selectFrom("outbox").selectAll().where("sender", "=", "solar-dryer").execute();
    const release = rows.find((r) => JSON.stringify((r.activity as Record<string, any>).object?.type) === '["Release","Document"]');
    assert.ok(release, "the Create(Release) was queued for B");
    assert.equal(release.relayed_at !== null, true, `relayed: ${release.last_error ?? ""}`);
    assert.deepEqual(Array.isArray(release.recipients) ? (release.recipients as { id: string }[]).map((r) => r.id) : [], [`${b.origin}/@node`]);
    const refusals = await a.database.db.selectFrom("delivery_rejections").selectAll().execute();
    assert.deepEqual(refusals.map((r) => [r.activity_type, r.status, r.response_excerpt]), [], "B refused nothing");
  });
});
