import { type ActorKeyPair, type SignJsonLdOptions, signJsonLd } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { withIntegrityProof } from "./integrity-proof.ts";
import { toWireFormat } from "./wire-format.ts";

const logger = getLogger(["commonsnet", "outbox"]);

/**
 * Signs an activity's JSON as stored in the outbox, without passing it through Fedify's vocabulary
 * (which would drop members it does not model, such as Mastodon's blurhash and focalPoint): the
 * wire format first, then an Object Integrity Proof with the Ed25519 key (FEP-8b32), then a
 * Linked Data Signature with the RSA key over both (RsaSignature2017, which Mastodon checks when an
 * activity reaches it through someone else; ActivityPub::LinkedDataSignature). The same layers, in
 * the same order, as Fedify's own sendActivity; HTTP signatures are added per delivery by Fedify.
 */
export async function signOutgoingActivity(
  activity: Readonly<Record<string, unknown>>,
  keyPairs: readonly ActorKeyPair[],
  contextLoader: NonNullable<SignJsonLdOptions["contextLoader"]>,
): Promise<Record<string, unknown>> {
  let json = toWireFormat(activity);
  const ed25519 = keyPairs.find((pair) => pair.privateKey.algorithm.name === "Ed25519" && pair.multikey.id !== null);
  if (ed25519 !== undefined) json = await withIntegrityProof(json, { privateKey: ed25519.privateKey, keyId: ed25519.multikey.id! });
  const rsa = keyPairs.find((pair) => pair.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
  if (rsa === undefined) return json;
  try {
    return (await signJsonLd(json, rsa.privateKey, rsa.keyId, { contextLoader })) as Record<string, unknown>;
  } catch (error) {
    // An activity a JSON-LD processor cannot canonicalise still goes out, HTTP-signed and with its
    // proof, as Fedify does: the LD signature only matters for copies relayed by someone else.
    logger.warn("No Linked Data Signature on {id}: {error}", { id: json.id, error });
    return json;
  }
}
