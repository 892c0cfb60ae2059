import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createSecretBox } from "../../server/platform/secret-box.ts";
import { loadOrCreateSecret } from "../../server/platform/secret.ts";

test("a sealed value opens with the same secret and not with another", () => {
  const box = createSecretBox("a".repeat(40));
  const sealed = box.seal('{"kty":"RSA","d":"private"}');
  assert.doesNotMatch(sealed, /private/);
  assert.equal(box.open(sealed), '{"kty":"RSA","d":"private"}');
  assert.throws(() => createSecretBox("b".repeat(40)).open(sealed));
  assert.notEqual(box.seal("same"), box.seal("same"), "each seal uses a fresh IV");
});

test("a tampered value is refused", () => {
  const box = createSecretBox("a".repeat(40));
  const [v, iv, tag, body] = box.seal("hello world").split(".");
  const flipped = Buffer.from(body!, "base64url");
  flipped[0] = flipped[0]! ^ 1;
  assert.throws(() => box.open([v, iv, tag, flipped.toString("base64url")].join(".")));
});

test("the fingerprint identifies the secret without revealing it", () => {
  const a = createSecretBox("a".repeat(40));
  assert.equal(a.fingerprint, createSecretBox("a".repeat(40)).fingerprint);
  assert.notEqual(a.fingerprint, createSecretBox("c".repeat(40)).fingerprint);
  assert.ok(!a.fingerprint.includes("aaaa"));
});

test("a secret is generated once into DATA_DIR with mode 0600 and reused", () => {
  const dir = mkdtempSync(join(tmpdir(), "cn-secret-"));
  const first = loadOrCreateSecret(join(dir, "data"), undefined);
  assert.ok(first.length >= 32);
  assert.equal(statSync(join(dir, "data", "secret")).mode & 0o777, 0o600);
  assert.equal(loadOrCreateSecret(join(dir, "data"), undefined), first);
  assert.equal(readFileSync(join(dir, "data", "secret"), "utf8").trim(), first);
  assert.equal(loadOrCreateSecret(join(dir, "data"), "given-secret-of-at-least-32-chars!!"), "given-secret-of-at-least-32-chars!!");
});
