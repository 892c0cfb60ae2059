import { DataIntegrityProof } from "@fedify/vocab";
import { toInstant } from "../translate/temporal.ts";
import { canonicalJson } from "./canonical-json.ts";

const DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v1";

export interface IntegrityProofKey {
  readonly privateKey: CryptoKey;
  /** The `assertionMethod` Multikey the verifier fetches (our actors publish it next to publicKey). */
  readonly keyId: URL;
}

/**
 * Adds a FEP-8b32 Object Integrity Proof (cryptosuite eddsa-jcs-2022, Data Integrity EdDSA
 * Cryptosuites §3.3) over the document exactly as it will be sent, so members Fedify's vocabulary
 * does not model (Mastodon's blurhash, focalPoint) are covered too. The hashed data is
 * SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without proof)); the proof options share the
 * document's `@context`, which must therefore name the data-integrity context before signing.
 */
export async function withIntegrityProof(document: Record<string, unknown>, key: IntegrityProofKey, created = new Date()): Promise<Record<string, unknown>> {
  if (key.privateKey.algorithm.name !== "Ed25519") throw new TypeError(`eddsa-jcs-2022 needs an Ed25519 key, not ${key.privateKey.algorithm.name}`);
  const { proof: _existing, ...unsigned } = withDataIntegrityContext(document);
  // Whole seconds: xsd:dateTime round-trips through every parser unchanged, so verifiers rebuild the same options.
  const createdAt = toInstant(new Date(Math.floor(created.getTime() / 1000) * 1000));
  const options = {
    "@context": unsigned["@context"],
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    verificationMethod: key.keyId.href,
    proofPurpose: "assertionMethod",
    created: createdAt.toString(),
  };
  const digest = new Uint8Array(64);
  digest.set(await sha256(canonicalJson(options)), 0);
  digest.set(await sha256(canonicalJson(unsigned)), 32);
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", key.privateKey, digest));
  const proof = new DataIntegrityProof({
    cryptosuite: "eddsa-jcs-2022",
    verificationMethod: key.keyId,
    proofPurpose: "assertionMethod",
    created: createdAt,
    proofValue: signature,
  });
  // Fedify writes the proof with its own @context, already part of the document's.
  const { "@context": _context, ...proofJson } = (await proof.toJsonLd({ format: "compact" })) as Record<string, unknown>;
  return { ...unsigned, proof: proofJson };
}

function withDataIntegrityContext(document: Record<string, unknown>): Record<string, unknown> {
  const context = document["@context"];
  const contexts = Array.isArray(context) ? context : context === undefined ? [] : [context];
  if (contexts.includes(DATA_INTEGRITY_CONTEXT)) return document;
  return { ...document, "@context": [...contexts, DATA_INTEGRITY_CONTEXT] };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}
