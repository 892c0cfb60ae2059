import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createForkNetworkPort } from "../../federation/design-fork-network.ts";
import { buildDesignService, releaseJsonLd } from "../../federation/designs.ts";
import { fromDesignDocument, fromReleaseDocument } from "../../federation/translate/remote-design.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { assertGolden } from "../projects/golden.ts";
import { createMember, type TestMember } from "../projects/project-fixtures.ts";
import { createDesign, publish, storedFile } from "./design-fixtures.ts";

/**
 * What forks read and send, pinned: a node reads our own design and release documents (as served)
 * into the drafts it forks from, field for field; the fork's announcement and the answers to one are
 * golden files (a change to them is a reviewed change).
 */

let node: TestNode;
let member: TestMember;

before(async () => {
  node = await createTestNode();
  member = await createMember(node, "ines");
});
after(async () => await node?.close());

const chain = [{ release: "https://lyon.test/@dryer/releases/2.1.0", design: "https://lyon.test/@dryer", name: "Solar dryer", host: "lyon.test", licence: "CERN-OHL-S-2.0" }];

describe(`the documents forks read and send on ${ENGINE_LABEL}`, () => {
  test("a design's and a release's documents, as this node serves them, read back into the drafts a fork is made from", async () => {
    const ctx = node.federation.createContext(node.config.publicUrl, node.deps);
    const design = await node.services.designs.create(
      member.actorId,
      (await import("../../server/modules/designs/index.ts")).CreateDesignSchema.parse({
        handle: "dryer-humid",
        name: "Humid dryer",
        summary: "A dryer for *humid* climates.",
        function: "Dries fruit",
        tags: ["solar"],
        licence: "CERN-OHL-S-2.0",
        licensor: "Officine X",
      }),
      { forkOf: chain[0]!.release, forkChain: chain },
    );
    const frame = storedFile("frame.step", "ISO-10303-21;", { mediaType: "model/step", role: "export" });
    const release = await publish(node, member, "dryer-humid", { version: "2.1.0-humid.1", notes: "Wider vents.", trl: "OTRL-5", drl: "ODRL-3", bom: [{ part: "Plywood", quantity: 2, unit: "sheet" }] }, [frame]);

    const actor = await (await buildDesignService(ctx, design)).toJsonLd({ contextLoader: ctx.contextLoader });
    const parsedDesign = fromDesignDocument(actor as Record<string, unknown>);
    assert.ok(parsedDesign.ok, JSON.stringify(parsedDesign));
    const d = parsedDesign.value;
    assert.deepEqual(
      [d.iri, d.handle, d.name, d.summaryMarkdown, d.function, d.tags, d.licence, d.licensor, d.inbox, d.forkOf, d.forkChain, d.currentRelease],
      [design.iri, "dryer-humid", "Humid dryer", "A dryer for humid climates.", "Dries fruit", ["solar"], "CERN-OHL-S-2.0", "Officine X", `${design.iri}/inbox`, chain[0]!.release, chain, release.iri],
    );

    const parsedRelease = fromReleaseDocument(releaseJsonLd(ctx, design, release));
    assert.ok(parsedRelease.ok, JSON.stringify(parsedRelease));
    const r = parsedRelease.value;
    assert.deepEqual(
      [r.iri, r.version, r.designIri, r.licence, r.notesMarkdown, r.trl, r.drl, r.bom],
      [release.iri, "2.1.0-humid.1", design.iri, "CERN-OHL-S-2.0", "Wider vents.", "OTRL-5", "ODRL-3", [{ part: "Plywood", quantity: 2, unit: "sheet", material: null, source: null, link: null }]],
    );
    assert.deepEqual(r.files, [{ name: "frame.step", href: release.files[0]!.url, sha256: frame.sha256, size: frame.size, mediaType: "model/step", role: "export" }], "the manifest and the zip, which declare no hash, are not files");
  });

  test("what is not a release or not a design is named", () => {
    const note = fromReleaseDocument({ id: "https://x.test/n/1", type: "Note" });
    assert.deepEqual(note, { ok: false, reason: "it is a Note, not a design release (type Release)" });
    const person = fromDesignDocument({ id: "https://x.test/u/1", type: "Person" });
    assert.equal(person.ok, false);
    const unversioned = fromReleaseDocument({ id: "https://x.test/r/1", type: "Release", context: "https://x.test/d", license: { licenseId: "MIT" } });
    assert.deepEqual(unversioned, { ok: false, reason: "the release: version the release names no version" });
    const twice = fromReleaseDocument({
      id: "https://x.test/r/1",
      type: "Release",
      version: "1.0.0",
      context: "https://x.test/d",
      license: { licenseId: "MIT" },
      attachment: [1, 2].map(() => ({ type: "Link", name: "a.txt", href: "https://x.test/a.txt", sha256: "a".repeat(64) })),
    });
    assert.deepEqual(twice, { ok: false, reason: "the release: files the release names a file twice" });
  });

  test("the fork's announcement and our answers to one are pinned", async () => {
    const port = createForkNetworkPort(node.federation.createContext(node.config.publicUrl, node.deps));
    const origin = node.config.publicUrl.origin;
    const announcement = await port.forkAnnouncement(
      { handle: "dryer-humid", name: "Humid dryer", iri: `${origin}/@dryer-humid`, url: `${origin}/@dryer-humid`, licence: "CERN-OHL-S-2.0", forkOf: chain[0]!.release, forkChain: chain, releaseIri: `${origin}/@dryer-humid/releases/2.1.0-humid.1` },
      [{ id: chain[0]!.design, inbox: `${chain[0]!.design}/inbox`, sharedInbox: "https://lyon.test/inbox" }],
    );
    assert.deepEqual([announcement.sender, announcement.recipients], ["dryer-humid", [{ id: chain[0]!.design, inbox: `${chain[0]!.design}/inbox`, sharedInbox: "https://lyon.test/inbox" }]]);
    assertGolden("design-fork-create", announcement.activity);
    const answer = { handle: "dryer-humid", activityIri: "https://ghent.test/@dryer-flemish#creates/forks/1", forkDesignIri: "https://ghent.test/@dryer-flemish", recipient: { id: "https://ghent.test/@dryer-flemish", inbox: "https://ghent.test/@dryer-flemish/inbox" } };
    assertGolden("design-fork-accept", (await port.forkAnswer({ kind: "accept", ...answer })).activity);
    const reject = await port.forkAnswer({ kind: "reject", ...answer, reason: "charter rule licences: this node's charter (version 2) does not accept MIT (it accepts CERN-OHL-S-2.0)" });
    assertGolden("design-fork-reject", reject.activity);
  });
});
