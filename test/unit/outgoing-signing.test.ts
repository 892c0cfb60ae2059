import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateCryptoKeyPair, verifyProof } from "@fedify/fedify";
import { DataIntegrityProof, Multikey } from "@fedify/vocab";
import { canonicalJson } from "../../federation/signing/canonical-json.ts";
import { withIntegrityProof } from "../../federation/signing/integrity-proof.ts";
import { toWireFormat } from "../../federation/signing/wire-format.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const KEY_ID = new URL("https://city-a.test/@solar-coop#ed25519-key");
const ACTOR = "https://city-a.test/@solar-coop";

describe("RFC 8785 canonical JSON", () => {
  test("members sorted by UTF-16 code units, no whitespace, ECMAScript numbers (RFC 8785 §3.2)", () => {
    assert.equal(canonicalJson({ b: [1, "x", null, true], a: { d: 1e21, c: -0 }, "€": 1, "\u0080": 2, "😀": 3 }), '{"a":{"c":0,"d":1e+21},"b":[1,"x",null,true],"\u0080":2,"€":1,"😀":3}');
    assert.equal(canonicalJson({ s: "line\nbreak \u2028 \"q\"" }), '{"s":"line\\nbreak \u2028 \\"q\\""}');
    assert.equal(canonicalJson({ numbers: [0.000001, 1e-7, 333333333.3333333, 4.5] }), '{"numbers":[0.000001,1e-7,333333333.3333333,4.5]}');
    assert.throws(() => canonicalJson({ x: Number.NaN }), /NaN/);
  });
});

describe("the wire format of outgoing activities", () => {
  test("as:Public is spelled out in the activity and its object; a single attachment becomes an array", () => {
    const wire = toWireFormat({
      type: "Create",
      to: "as:Public",
      cc: ["https://city-a.test/@x/followers", "Public"],
      object: { type: "Note", to: ["as:Public"], attachment: { type: "Image", url: "https://city-a.test/m.webp", blurhash: "LKO2?U%2Tw=w]~RBVZRi};RPxuwH" } },
    });
    assert.equal(wire.to, `${AS}#Public`);
    assert.deepEqual(wire.cc, ["https://city-a.test/@x/followers", `${AS}#Public`]);
    const object = wire.object as Record<string, unknown>;
    assert.deepEqual(object.to, [`${AS}#Public`]);
    assert.deepEqual(object.attachment, [{ type: "Image", url: "https://city-a.test/m.webp", blurhash: "LKO2?U%2Tw=w]~RBVZRi};RPxuwH" }]);
  });
});

describe("FEP-8b32 Object Integrity Proofs on outgoing activities", () => {
  async function signer() {
    const { privateKey, publicKey } = await generateCryptoKeyPair("Ed25519");
    const multikey = await new Multikey({ id: KEY_ID, controller: new URL(ACTOR), publicKey }).toJsonLd({ format: "compact" });
    const documentLoader = async (url: string) => {
      if (url.split("#")[0] !== KEY_ID.href.split("#")[0]) throw new Error(`unexpected fetch of ${url}`);
      return { contextUrl: null, documentUrl: url, document: multikey };
    };
    return { privateKey, documentLoader };
  }
  const activity = () => ({
    "@context": [AS, { toot: "http://joinmastodon.org/ns#", blurhash: "toot:blurhash" }],
    id: `${ACTOR}/updates/1#create`,
    type: "Create",
    actor: ACTOR,
    object: { id: `${ACTOR}/updates/1`, type: "Note", content: "<p>Roof survey</p>", attachment: [{ type: "Image", url: "https://city-a.test/m.webp", blurhash: "LKO2?U%2Tw=w]~RBVZRi};RPxuwH" }] },
  });

  test("Fedify's verifier accepts the proof, which covers members Fedify's vocabulary does not model", async () => {
    const { privateKey, documentLoader } = await signer();
    const signed = await withIntegrityProof(activity(), { privateKey, keyId: KEY_ID }, new Date("2026-11-22T10:15:30.789Z"));
    assert.ok((signed["@context"] as string[]).includes("https://w3id.org/security/data-integrity/v1"));
    const proofJson = signed.proof as Record<string, unknown>;
    assert.equal(proofJson.created, "2026-11-22T10:15:30Z", "whole seconds");
    assert.equal(proofJson.verificationMethod, KEY_ID.href);
    assert.match(String(proofJson.proofValue), /^z[1-9A-HJ-NP-Za-km-z]{80,90}$/, "multibase base58btc of a 64-byte Ed25519 signature");
    const proof = await DataIntegrityProof.fromJsonLd({ "@context": "https://w3id.org/security/data-integrity/v1", ...proofJson });
    const key = await verifyProof(signed, proof, { documentLoader });
    assert.equal(key?.id?.href, KEY_ID.href);

    const tampered = structuredClone(signed);
    ((tampered.object as Record<string, unknown>).attachment as Record<string, unknown>[])[0]!.blurhash = "L00000fQfQfQfQfQfQfQfQfQfQfQ";
    assert.equal(await verifyProof(tampered, proof, { documentLoader }), null, "changing the blurhash breaks the proof");
  });

  test("re-signing replaces an earlier proof instead of proving the proof", async () => {
    const { privateKey, documentLoader } = await signer();
    const once = await withIntegrityProof(activity(), { privateKey, keyId: KEY_ID });
    const twice = await withIntegrityProof(once, { privateKey, keyId: KEY_ID });
    const proof = await DataIntegrityProof.fromJsonLd({ "@context": "https://w3id.org/security/data-integrity/v1", ...(twice.proof as Record<string, unknown>) });
    assert.notEqual(await verifyProof(twice, proof, { documentLoader }), null);
  });

  test("an RSA key is refused: eddsa-jcs-2022 is Ed25519 only", async () => {
    const { privateKey } = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    await assert.rejects(withIntegrityProof(activity(), { privateKey, keyId: KEY_ID }), /Ed25519/);
  });
});
