import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { signRequest } from "@fedify/fedify";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { createSigningPeer, deliver, type SigningPeer } from "../inbox/helpers/signing-peer.ts";

const AS = "https://www.w3.org/ns/activitystreams";
let node: TestNode;
let peer: SigningPeer;
let workers: { stop(): Promise<void> };
let inbox: string;
let group: string;
/** A server whose every request is counted: the JSON-LD context an attacker names. */
let contextHost: { url: string; requests: number; close(): Promise<void> };

before(async () => {
  node = await createInboxTestNode();
  peer = await createSigningPeer(node, ["alice"]);
  const maria = await createMember(node, "maria");
  await createProjectOf(node, maria, "bikekitchen");
  group = `${node.config.publicUrl.origin}/@bikekitchen`;
  inbox = `${group}/inbox`;
  workers = startWorkers(node);
  const server = createServer((_req, res) => {
    contextHost.requests++;
    res.writeHead(200, { "Content-Type": "application/ld+json" }).end(JSON.stringify({ "@context": {} }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  contextHost = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/context.jsonld`,
    requests: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
after(async () => {
  await workers.stop();
  await peer.close();
  await contextHost.close();
  await node.close();
});

/** A Create whose Note replies to a Note that replies to a Note… `depth` times, all embedded. */
function replyChain(actor: string, depth: number, context: unknown = AS): Record<string, unknown> {
  let note: Record<string, unknown> = { id: `${actor}/notes/0`, type: "Note", content: "root", attributedTo: actor };
  for (let i = 1; i <= depth; i++) note = { id: `${actor}/notes/${i}`, type: "Note", content: `reply ${i}`, attributedTo: actor, inReplyTo: note };
  return { "@context": context, id: `${actor}/creates/chain-${depth}`, type: "Create", actor, to: [group], object: note };
}

/** Written as text: JSON.stringify itself overflows the stack on such a value. */
const nested = (depth: number) => `${"[".repeat(depth)}"bottom"${"]".repeat(depth)}`;

async function remotePostCount(): Promise<number> {
  const row = await node.database.db.selectFrom("remote_posts").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 800));

describe(`inbox admission on ${ENGINE_LABEL}`, () => {
  test("an unsigned POST is refused with 401 before its body is read: no JSON-LD context it names is fetched", async () => {
    const alice = peer.actors.alice!;
    const body = JSON.stringify(replyChain(alice.id, 600, [AS, contextHost.url]));
    for (const path of ["/@bikekitchen/inbox", "/inbox"]) {
      const res = await node.http.post(path).set("Content-Type", "application/activity+json").send(body);
      assert.equal(res.status, 401, path);
      assert.match(res.body.message, /must be signed/);
    }
    await settle();
    assert.equal(contextHost.requests, 0, "the node fetched a context named by an unsigned request");
    assert.equal(await remotePostCount(), 0);
  });

  test("a forged Signature header is refused with 401 before the body's JSON-LD is processed: no context it names is fetched", async () => {
    const alice = peer.actors.alice!;
    const before = contextHost.requests;
    const body = JSON.stringify({ "@context": [AS, contextHost.url], id: `${alice.id}/likes/forged`, type: "Like", actor: alice.id, object: group });
    const forged = `keyId="${alice.keyId}",algorithm="rsa-sha256",headers="(request-target) host date",signature="${Buffer.alloc(256).toString("base64")}"`;
    const res = await node.http.post("/@bikekitchen/inbox").set("Content-Type", "application/activity+json").set("Date", new Date().toUTCString()).set("Signature", forged).send(body);
    assert.equal(res.status, 401, res.text);
    assert.match(res.body.message, /does not verify/);
    await settle();
    assert.equal(contextHost.requests, before, "the node fetched a context named by a request whose signature is forged");
  });

  test("a signed 1,000-deep reply chain is refused with 400 naming the depth limit, and nothing is stored", async () => {
    const alice = peer.actors.alice!;
    const res = await deliver(node, await peer.signedPost(inbox, replyChain(alice.id, 1000), alice));
    assert.equal(res.status, 400, res.text);
    assert.match(JSON.parse(res.text).message, /nested deeper than 24 levels/);
    await settle();
    assert.equal(await remotePostCount(), 0);
  });

  test("plain nesting 5,000 levels deep is a 400, not a stack overflow", async () => {
    const alice = peer.actors.alice!;
    const raw = `{"@context":"${AS}","id":"${alice.id}/likes/deep","type":"Like","actor":"${alice.id}","object":"${group}","deep":${nested(5000)}}`;
    const res = await deliver(node, await peer.signedPost(inbox, raw, alice));
    assert.equal(res.status, 400, res.text);
  });

  test("a body of 40,000 keys is refused with 400 naming the member limit", async () => {
    const alice = peer.actors.alice!;
    const activity: Record<string, unknown> = { "@context": AS, id: `${alice.id}/likes/wide`, type: "Like", actor: alice.id, object: group };
    for (let i = 0; i < 40_000; i++) activity[`k${i}`] = i;
    const res = await deliver(node, await peer.signedPost(inbox, activity, alice));
    assert.equal(res.status, 400, res.text);
    assert.match(JSON.parse(res.text).message, /more than 2000 object members/);
  });

  test("a NUL or a lone surrogate in a signed activity is a 400 (a 500 would make the peer retry for days)", async () => {
    const alice = peer.actors.alice!;
    for (const [name, content] of [["nul", "a\\u0000b"], ["surrogate", "a\\ud800b"]] as const) {
      const raw = `{"@context":"${AS}","id":"${alice.id}/creates/${name}","type":"Create","actor":"${alice.id}","to":["${group}"],` +
        `"object":{"id":"${alice.id}/notes/${name}","type":"Note","attributedTo":"${alice.id}","inReplyTo":"${group}","content":"${content}"}}`;
      const res = await deliver(node, await peer.signedPost(inbox, raw, alice));
      assert.equal(res.status, 400, `${name}: ${res.text}`);
      assert.match(JSON.parse(res.text).message, name === "nul" ? /NUL/ : /surrogate/);
    }
    await settle();
    assert.equal(await remotePostCount(), 0);
  });

  test("a signed body that is not UTF-8 is a 400", async () => {
    const alice = peer.actors.alice!;
    const body = Buffer.concat([Buffer.from(`{"@context":"${AS}","type":"Like","actor":"${alice.id}","object":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const request = await signRequest(
      new Request(inbox, { method: "POST", headers: { "Content-Type": "application/activity+json" }, body }),
      alice.privateKey,
      new URL(alice.keyId),
      { spec: "draft-cavage-http-signatures-12", body: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer },
    );
    const res = await node.app.fetch(request);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /not UTF-8 JSON/);
  });

  test("an ordinary signed activity still passes the admission", async () => {
    const alice = peer.actors.alice!;
    const like = { "@context": AS, id: `${alice.id}/likes/ok`, type: "Like", actor: alice.id, object: group };
    const res = await deliver(node, await peer.signedPost(inbox, like, alice));
    assert.equal(res.status, 202, res.text);
  });
});
