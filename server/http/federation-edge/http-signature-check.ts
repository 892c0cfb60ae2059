import { type DocumentLoader, type KeyCache, verifyRequestDetailed } from "@fedify/fedify";
import type { CryptographicKey, Multikey } from "@fedify/vocab";

const KEY_TTL_MS = 10 * 60 * 1000;
const KEY_CACHE_MAX = 10_000;

/**
 * Verifies a request's HTTP signature (draft-cavage-http-signatures-12 or RFC 9421, with its digest)
 * before Fedify sees the body. Fedify 2.3 processes an inbound activity's JSON-LD — fetching every
 * context the body names, and checking its LD signatures and proofs — before it checks the HTTP
 * signature, so a request with a forged `Signature` header could make the node fetch what an
 * anonymous sender chose (docs/stack.md, Fedify gaps). Only the signer's key document is fetched here,
 * as Mastodon does for every delivery (app/lib/signature_verification.rb). Keys are kept ten minutes;
 * Fedify refetches one whose cached copy no longer verifies, so a rotated key costs one fetch.
 */
export function createHttpSignatureCheck() {
  const keys = new Map<string, { key: CryptographicKey | Multikey | null; until: number }>();
  const keyCache: KeyCache = {
    async get(keyId) {
      const entry = keys.get(keyId.href);
      if (entry === undefined || entry.until < Date.now()) return undefined;
      return entry.key;
    },
    async set(keyId, key) {
      if (keys.size >= KEY_CACHE_MAX) keys.clear();
      // An unavailable key is not remembered: the sender may publish it a moment later.
      if (key === null) keys.delete(keyId.href);
      else keys.set(keyId.href, { key, until: Date.now() + KEY_TTL_MS });
    },
  };
  /**
   * `verified`; `key-gone` when the key's document answered 404 or 410 (a deleted actor's last
   * `Delete` is signed by a key that no longer exists); `refused` otherwise.
   */
  return async (request: Request, loaders: { documentLoader: DocumentLoader; contextLoader: DocumentLoader }): Promise<SignatureVerdict> => {
    const result = await verifyRequestDetailed(request, { ...loaders, keyCache });
    if (result.verified) return "verified";
    const reason = result.reason;
    if (reason.type === "keyFetchError" && "status" in reason.result && (reason.result.status === 404 || reason.result.status === 410)) return "key-gone";
    return "refused";
  };
}

export type SignatureVerdict = "verified" | "key-gone" | "refused";
