import { signRequest } from "@fedify/fedify";
import type { FuzzWorld } from "./fuzz-world.ts";
import { hostileJsonValue, malformedJson, percentEncode, WRONG_CONTENT_TYPES } from "./hostile-values.ts";
import { type FuzzCase, shown } from "./request-cases.ts";
import type { Random } from "./seeded-random.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;

/** The inboxes to deliver to: shared, a project's, a member's, an actor that does not exist, a hostile handle. */
export function inboxPaths(world: FuzzWorld): string[] {
  return ["/inbox", `/@${world.project}/inbox`, `/@${world.member.handle}/inbox`, "/@nobody/inbox", `/@${percentEncode("\u202eadmin")}/inbox`];
}

/** Activities the node acts on, from the peer's alice, aimed at the project and its update. */
function baseActivity(world: FuzzWorld, random: Random, id: string): Record<string, unknown> {
  const alice = world.peer.actors.alice!;
  const group = `${world.node.config.publicUrl.origin}/@${world.project}`;
  const note = {
    id: `${id}/note`,
    type: "Note",
    attributedTo: alice.id,
    inReplyTo: world.updateIri,
    content: "<p>Count me in! #bikes</p>",
    to: [PUBLIC],
    cc: [group, alice.document.followers],
    published: "2026-12-01T10:00:00Z",
    tag: [{ type: "Hashtag", name: "#bikes", href: `${world.peer.origin}/tags/bikes` }, { type: "Mention", name: `@${world.project}`, href: group }],
    attachment: [{ type: "Document", mediaType: "image/png", url: `${world.peer.origin}/media/1.png`, name: "a photo" }],
  };
  const activities: Record<string, unknown>[] = [
    { type: "Follow", object: group },
    { type: "Like", object: world.updateIri },
    { type: "Announce", object: world.updateIri, to: [PUBLIC], cc: [group] },
    { type: "Create", object: note, to: note.to, cc: note.cc },
    { type: "Update", object: { ...alice.document, name: "Alice (edited)", summary: "<p>bikes</p>" } },
    { type: "Update", object: { ...note, content: "<p>edited</p>", updated: "2026-12-01T11:00:00Z" } },
    { type: "Delete", object: { id: note.id, type: "Tombstone" } },
    { type: "Undo", object: { id: `${id}/follow`, type: "Follow", actor: alice.id, object: group } },
    { type: "Accept", object: { id: `${world.node.config.publicUrl.origin}/follows/1`, type: "Follow", actor: group, object: alice.id } },
    { type: "Reject", object: `${world.node.config.publicUrl.origin}/follows/1` },
  ];
  return { "@context": [AS, "https://w3id.org/security/v1"], id, actor: alice.id, ...random.pick(activities) };
}

/** A delivery to `path`: signed for real by the peer with one thing wrong, or unsigned, or signed by nobody. */
export async function inboxCase(world: FuzzWorld, path: string, random: Random, n: number, seed: number): Promise<FuzzCase> {
  const alice = world.peer.actors.alice!;
  const url = `${world.node.config.publicUrl.origin}${path}`;
  const activity = baseActivity(world, random, `${alice.id}/fuzz/${seed}-${n}`);
  const valid = JSON.stringify(activity);
  const roll = random.next();
  let label: string;
  let body = valid;
  let contentType = "application/activity+json";
  let signer: { keyId: string; privateKey: CryptoKey } | null = alice;
  if (roll < 0.1) label = `a valid ${activity.type}`;
  else if (roll < 0.6) ({ label, text: body } = mutateActivity(activity, random));
  else if (roll < 0.75) {
    const broken = malformedJson(random, valid);
    label = `malformed JSON (${broken.label})`;
    body = broken.text;
  } else if (roll < 0.82) {
    contentType = random.pick(WRONG_CONTENT_TYPES) ?? "";
    label = `content type ${shown(contentType)}`;
  } else if (roll < 0.9) {
    signer = null;
    label = "unsigned";
  } else if (roll < 0.95) {
    signer = { keyId: `${world.peer.origin}/users/nobody#main-key`, privateKey: alice.privateKey };
    label = "signed with the key of an actor that does not exist";
  } else {
    body = JSON.stringify({ ...activity, content: "a".repeat(1_100_000) });
    label = "a body over 1 MB";
  }
  label = `${activity.type} to ${path}: ${label}`;
  const headers: Record<string, string> = { "User-Agent": "Mastodon/4.5.0 (fuzzer)" };
  if (contentType !== "") headers["Content-Type"] = contentType;
  if (signer === null) {
    if (random.chance(0.5)) headers.Signature = random.pick(['keyId="x",signature="y"', "garbage", `keyId="${alice.keyId}",algorithm="rsa-sha256",headers="(request-target)",signature="AAAA"`]);
    return { label: `${label}${headers.Signature ? " (forged Signature header)" : ""}`, method: "POST", path, headers, body };
  }
  const bytes = new TextEncoder().encode(body);
  const signed = await signRequest(new Request(url, { method: "POST", headers, body: bytes }), signer.privateKey, new URL(signer.keyId), {
    spec: "draft-cavage-http-signatures-12",
    body: bytes.buffer as ArrayBuffer,
  });
  const signedHeaders: Record<string, string> = {};
  for (const [name, value] of signed.headers) signedHeaders[name] = value;
  return { label, method: "POST", path, headers: signedHeaders, body };
}

/** One field of the activity or of its object replaced by a hostile value, or nested deep. */
function mutateActivity(activity: Record<string, unknown>, random: Random): { label: string; text: string } {
  const RAW = "\u0001raw\u0001";
  const copy = structuredClone(activity);
  const object = copy.object !== null && typeof copy.object === "object" && random.chance(0.6) ? (copy.object as Record<string, unknown>) : copy;
  const where = object === copy ? "" : "object.";
  const key = random.pick([...Object.keys(object), "name", "summary", "content", "url", "icon", "tag", "endpoints"]);
  if (random.chance(0.1)) {
    let nested: unknown = { id: "x", type: "Note" };
    for (let i = 0; i < 30; i++) nested = { type: "Note", inReplyTo: nested };
    object[key] = nested;
    return { label: `${where}${key} nested 30 deep`, text: JSON.stringify(copy) };
  }
  const hostile = hostileJsonValue(random);
  object[key] = RAW;
  return { label: `${where}${key} = ${shown(hostile)}`, text: JSON.stringify(copy).replace(JSON.stringify(RAW), hostile) };
}
