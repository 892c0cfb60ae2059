import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareVersionsDescending, isShareAlike, VersionSchema, versionOrder } from "../../server/modules/designs/index.ts";

describe("release versions", () => {
  test("sort SemVer-like: numbers as numbers, pre-releases before their release, text after numbers", () => {
    const shuffled = ["1.9.0", "1.10.0", "1.9.0-rc.1", "0.9", "1.9.0-rc.2", "1.9.0-beta", "1.9.0-rc.10", "2.0.0", "1.9", "v1.9.1", "1.9.0.1", "10.0.0"];
    assert.deepEqual([...shuffled].sort(compareVersionsDescending), [
      "10.0.0",
      "2.0.0",
      "1.10.0",
      "v1.9.1",
      "1.9.0.1",
      "1.9.0",
      "1.9.0-rc.10",
      "1.9.0-rc.2",
      "1.9.0-rc.1",
      "1.9.0-beta",
      "1.9",
      "0.9",
    ]);
  });

  test("order keys compare as plain strings; build metadata and a leading v do not change the order", () => {
    assert.ok(versionOrder("1.10.0") > versionOrder("1.9.0"));
    assert.ok(versionOrder("1.9.0") > versionOrder("1.9.0-rc.1"));
    assert.equal(versionOrder("1.2.0+build.5"), versionOrder("1.2.0"));
    assert.equal(versionOrder("v1.2.0"), versionOrder("1.2.0"));
    assert.equal(versionOrder("01.2"), versionOrder("1.2"));
  });

  test("a version is one safe path segment of at most 64 characters", () => {
    for (const ok of ["1.0.0", "v2", "1.0.0-rc.1+build.7", "2026_12", "A~1"]) assert.equal(VersionSchema.safeParse(ok).success, true, ok);
    for (const bad of ["1.0/2", "../1", "1 0", "1\u00000", "1%2F0", "1?x", "1#x", "new", "NEW", ".1", "-1", "x".repeat(65), ""]) {
      assert.equal(VersionSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});

describe("share-alike licences", () => {
  test("copyleft hardware, documentation and software licences are share-alike; permissive ones are not", () => {
    for (const id of ["CERN-OHL-S-2.0", "CC-BY-SA-4.0", "GPL-3.0-or-later", "AGPL-3.0-only", "LGPL-2.1-only", "TAPR-OHL-1.0"]) assert.equal(isShareAlike(id), true, id);
    for (const id of ["CERN-OHL-P-2.0", "MIT", "CC-BY-4.0", "Apache-2.0", "CC0-1.0"]) assert.equal(isShareAlike(id), false, id);
  });
});
