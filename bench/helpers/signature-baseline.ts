import { CryptographicKey } from "@fedify/vocab";
import { type DocumentLoader, type KeyCache, preloadedContexts, signJsonLd, signRequest, verifyJsonLd, verifyRequest } from "@fedify/fedify";

/**
 * The bare cost of the signature operations a delivery needs, measured in this process on this run:
 * the floor under any fan-out or inbox. RSA-2048 PKCS#1 v1.5 SHA-256 is what our actors sign HTTP
 * requests with (server/modules/actors/actor-keys.ts) and what Mastodon verifies.
 */
export interface SignatureBaseline {
  /** WebCrypto sign of a typical draft-cavage signing string, ms per operation. */
  readonly rsaSignMs: number;
  /** WebCrypto verify of the same, ms per operation. */
  readonly rsaVerifyMs: number;
  /** Fedify `signRequest` of a typical inbox POST (digest + signing string + sign), ms. */
  readonly signRequestMs: number;
  /** Fedify `verifyRequest` of that POST with the key already cached, ms. */
  readonly verifyRequestMs: number;
  /** Fedify `signJsonLd` (RsaSignature2017 over the URDNA2015-canonized activity), ms: once per activity sent. */
  readonly ldSignMs: number;
  /** Fedify `verifyJsonLd` of that activity with the key known, ms: once per LD-signed activity received. */
  readonly ldVerifyMs: number;
  /** How many operations each figure averages (LD signatures: a tenth). */
  readonly iterations: number;
}

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" } as const;
const INBOX = new URL("http://127.0.0.1:9/inbox");
const KEY_ID = new URL("http://127.0.0.1:9/@bench#main-key");

/** A Create(Note) of the size our project updates have (~2 KB of JSON). */
export function typicalActivityBody(): string {
  return JSON.stringify({
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id: "http://127.0.0.1:9/@bench/updates/0190c8a1-0000-7000-8000-000000000000#create",
    type: "Create",
    actor: "http://127.0.0.1:9/@bench",
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    cc: ["http://127.0.0.1:9/@bench/followers"],
    object: {
      id: "http://127.0.0.1:9/@bench/updates/0190c8a1-0000-7000-8000-000000000000",
      type: "Note",
      attributedTo: "http://127.0.0.1:9/@bench",
      content: `<p>${"Rooftop solar, week 12: the inverter is in. ".repeat(30)}</p>`,
      published: "2026-11-22T10:00:00Z",
    },
  });
}

function typicalSigningString(body: string): string {
  return [
    "(request-target): post /inbox",
    "host: 127.0.0.1:9",
    `date: ${new Date().toUTCString()}`,
    `digest: SHA-256=${Buffer.from(body).toString("base64").slice(0, 44)}`,
    "content-type: application/activity+json",
  ].join("\n");
}

/** Runs `op` `n` times in turn and returns ms per operation (wall clock). */
async function timeOps(n: number, op: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await op();
  return (performance.now() - t0) / n;
}

/**
 * One operation at a time, so the figure is the cost of one operation on one core (WebCrypto runs it
 * on a libuv thread; awaiting each keeps one thread busy). Warm-up first, then `iterations` timed.
 */
export async function measureSignatureBaseline(iterations = 400): Promise<SignatureBaseline> {
  const pair = (await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const body = typicalActivityBody();
  const data = new TextEncoder().encode(typicalSigningString(body));
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, data);
  const request = () =>
    new Request(INBOX, { method: "POST", headers: { "Content-Type": "application/activity+json", Accept: "application/activity+json" }, body });
  const signed = await signRequest(request(), pair.privateKey, KEY_ID);
  const key = new CryptographicKey({ id: KEY_ID, owner: new URL("http://127.0.0.1:9/@bench"), publicKey: pair.publicKey });
  const keyCache: KeyCache = { get: async () => key, set: async () => {} };
  const verify = async () => {
    const result = await verifyRequest(signed.clone(), { keyCache, timeWindow: false });
    if (result === null) throw new Error("the baseline signature did not verify");
  };
  const contextLoader: DocumentLoader = async (url) => {
    if (url in preloadedContexts) return { contextUrl: null, documentUrl: url, document: preloadedContexts[url] };
    throw new Error(`not preloaded: ${url}`);
  };
  const ldSign = () => signJsonLd(JSON.parse(body), pair.privateKey, KEY_ID, { contextLoader });
  const ldSigned = await ldSign();
  const keyDocument = { "@context": "https://w3id.org/security/v1", ...(await key.toJsonLd({ contextLoader, format: "compact" }) as object) };
  const documentLoader: DocumentLoader = async (url) =>
    url === KEY_ID.href ? { contextUrl: null, documentUrl: url, document: keyDocument } : await contextLoader(url);
  const ldVerify = async () => {
    if (!(await verifyJsonLd(ldSigned, { contextLoader, documentLoader, keyCache }))) throw new Error("the baseline LD signature did not verify");
  };
  for (let i = 0; i < 30; i++) {
    await crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, data);
    await signRequest(request(), pair.privateKey, KEY_ID);
    await verify();
    if (i < 5) {
      await ldSign();
      await ldVerify();
    }
  }
  return {
    rsaSignMs: await timeOps(iterations, () => crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, data)),
    rsaVerifyMs: await timeOps(iterations, () => crypto.subtle.verify("RSASSA-PKCS1-v1_5", pair.publicKey, signature, data)),
    signRequestMs: await timeOps(iterations, () => signRequest(request(), pair.privateKey, KEY_ID)),
    verifyRequestMs: await timeOps(iterations, verify),
    ldSignMs: await timeOps(Math.ceil(iterations / 10), ldSign),
    ldVerifyMs: await timeOps(Math.ceil(iterations / 10), ldVerify),
    iterations,
  };
}
