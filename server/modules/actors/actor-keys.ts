import type { DbOrTrx } from "../../db/database.ts";
import { jsonb } from "../../db/json.ts";
import type { SecretBox } from "../../platform/secret-box.ts";

export type KeyAlgorithm = "RSASSA-PKCS1-v1_5" | "Ed25519";

/**
 * RSA-2048 for HTTP signatures (what Mastodon verifies; half the signing cost of Fedify's default 4096,
 * docs/stack.md#fedify) and Ed25519 for Object Integrity Proofs (FEP-8b32).
 */
const ALGORITHMS: Record<KeyAlgorithm, RsaHashedKeyGenParams | Algorithm> = {
  "RSASSA-PKCS1-v1_5": { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
  Ed25519: { name: "Ed25519" },
};
const ORDER: readonly KeyAlgorithm[] = ["RSASSA-PKCS1-v1_5", "Ed25519"];

/** Creates the actor's two key pairs once; concurrent callers (several processes) keep the first. */
export async function ensureActorKeys(db: DbOrTrx, box: SecretBox, actorId: number): Promise<void> {
  const present = await db.selectFrom("actor_keys").select("algorithm").where("actor_id", "=", actorId).execute();
  const missing = ORDER.filter((algorithm) => !present.some((row) => row.algorithm === algorithm));
  for (const algorithm of missing) {
    const pair = (await crypto.subtle.generateKey(ALGORITHMS[algorithm], true, ["sign", "verify"])) as CryptoKeyPair;
    const publicJwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const privateJwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    await db
      .insertInto("actor_keys")
      .values({ actor_id: actorId, algorithm, public_jwk: jsonb(publicJwk), private_jwk_sealed: box.seal(JSON.stringify(privateJwk)) })
      .onConflict((oc) => oc.columns(["actor_id", "algorithm"]).doNothing())
      .execute();
  }
}

const cache = new Map<string, Promise<CryptoKeyPair[]>>();

/** The actor's key pairs, RSA first (Fedify signs HTTP requests with the first RSA key). */
export function loadActorKeyPairs(db: DbOrTrx, box: SecretBox, actorId: number): Promise<CryptoKeyPair[]> {
  const cacheKey = `${box.fingerprint}:${actorId}`;
  let pending = cache.get(cacheKey);
  if (pending === undefined) {
    pending = importKeyPairs(db, box, actorId);
    cache.set(cacheKey, pending);
    pending.catch(() => cache.delete(cacheKey));
  }
  return pending;
}

async function importKeyPairs(db: DbOrTrx, box: SecretBox, actorId: number): Promise<CryptoKeyPair[]> {
  const rows = await db.selectFrom("actor_keys").selectAll().where("actor_id", "=", actorId).execute();
  rows.sort((a, b) => ORDER.indexOf(a.algorithm) - ORDER.indexOf(b.algorithm));
  if (rows.length === 0) cache.delete(`${box.fingerprint}:${actorId}`);
  return await Promise.all(
    rows.map(async (row) => {
      const algorithm = ALGORITHMS[row.algorithm];
      const privateJwk = JSON.parse(box.open(row.private_jwk_sealed)) as JsonWebKey;
      return {
        publicKey: await crypto.subtle.importKey("jwk", row.public_jwk as JsonWebKey, algorithm, true, ["verify"]),
        privateKey: await crypto.subtle.importKey("jwk", privateJwk, algorithm, true, ["sign"]),
      };
    }),
  );
}
