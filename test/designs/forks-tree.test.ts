import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ForkRecord } from "../../server/modules/design-forks/index.ts";
import { buildForkTree } from "../../server/modules/design-forks/fork-tree.ts";
import { charterLicenceRefusal } from "../../server/modules/design-forks/licence-rule.ts";
import { shareAlikeRefusal } from "../../server/modules/design-forks/licence-rule.ts";
import { defaultCharter } from "../../server/modules/charter/charter.schema.ts";

const A = "https://lyon.example/@dryer";
const B = "https://bologna.example/@dryer-humid";
const C = "https://ghent.example/@dryer-flemish";
const D = "https://oslo.example/@dryer-cold";

function row(fork: string, parent: string, depth: number, overrides: Partial<ForkRecord> = {}): ForkRecord {
  return {
    designActorId: 1,
    depth,
    sourceReleaseIri: `${parent}/releases/1.0.0`,
    parentDesignIri: parent,
    forkDesignIri: fork,
    forkUrl: fork,
    forkName: `Fork ${new URL(fork).host}`,
    forkReleaseIri: null,
    licence: "CERN-OHL-S-2.0",
    nodeHost: new URL(fork).host,
    city: null,
    activityIri: `${fork}#creates/forks/1`,
    recordedAt: new Date(0),
    ...overrides,
  };
}

describe("the forks tree of a design", () => {
  test("forks hang under the design they were forked from; the original is the design itself", () => {
    const tree = buildForkTree({ iri: A, name: "Dryer", licence: "CERN-OHL-S-2.0", forkOf: null, forkChain: [] }, [row(B, A, 1, { city: "Bologna" }), row(C, B, 2), row(D, A, 1)]);
    assert.deepEqual(tree.origin, { iri: A, name: "Dryer", host: "lyon.example", licence: "CERN-OHL-S-2.0" });
    assert.deepEqual(tree.forks.map((f) => [f.iri, f.city, f.depth, f.children.map((c) => [c.iri, c.depth])]), [
      [B, "Bologna", 1, [[C, 2]]],
      [D, null, 1, []],
    ]);
  });

  test("a fork's origin is the first link of its chain; a fork whose parent was never recorded still shows", () => {
    const chain = [{ release: `${A}/releases/1.0.0`, design: A, name: "Dryer", host: "lyon.example", licence: "CERN-OHL-S-2.0" }];
    const tree = buildForkTree({ iri: B, name: "Humid dryer", licence: "CERN-OHL-S-2.0", forkOf: chain[0]!.release, forkChain: chain }, [row(D, C, 2)]);
    assert.deepEqual(tree.origin, { iri: A, name: "Dryer", host: "lyon.example", licence: "CERN-OHL-S-2.0" });
    assert.equal(tree.forkOf, `${A}/releases/1.0.0`);
    assert.deepEqual(tree.forks.map((f) => f.iri), [D]);
  });
});

describe("licence rules", () => {
  const charter = (licences: string[]) => ({ version: 4, document: { ...defaultCharter("open"), licences }, note: "", createdBy: null, createdAt: new Date(0) });

  test("an empty licences list accepts any licence; otherwise the refusal names the rule and the licence", () => {
    assert.equal(charterLicenceRefusal(charter([]), "MIT"), null);
    assert.equal(charterLicenceRefusal(charter(["CERN-OHL-S-2.0"]), "cern-ohl-s-2.0"), null);
    assert.equal(
      charterLicenceRefusal(charter(["CERN-OHL-S-2.0", "CC-BY-SA-4.0"]), "MIT"),
      "charter rule licences: this node's charter (version 4) does not accept MIT (it accepts CERN-OHL-S-2.0, CC-BY-SA-4.0)",
    );
  });

  test("a share-alike licence stays the same in a fork; others may change", () => {
    const shareAlike = (id: string) => id.startsWith("CERN-OHL-S") || id.startsWith("CC-BY-SA");
    assert.equal(shareAlikeRefusal("CERN-OHL-S-2.0", "CERN-OHL-S-2.0", shareAlike), null);
    assert.equal(shareAlikeRefusal("MIT", "CERN-OHL-P-2.0", shareAlike), null);
    assert.match(shareAlikeRefusal("CC-BY-SA-4.0", "CC-BY-4.0", shareAlike)!, /CC-BY-SA-4\.0 is share-alike, so a fork keeps CC-BY-SA-4\.0 \(not CC-BY-4\.0\)/);
  });
});
