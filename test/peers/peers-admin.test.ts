import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken, createSession } from "../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { CSRF_COOKIE, CSRF_FIELD } from "../../server/http/csrf.ts";
import { sessionCookieName } from "../../server/http/session-cookie.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createInboxTestNode, startWorkers } from "../inbox/helpers/inbox-env.ts";
import { hopsOf } from "../../federation/peering/backfill.ts";
import { DirectoryEntryDraftSchema } from "../../server/modules/directory/directory-entry.schema.ts";
import { upsertReceivedEntry } from "../../server/modules/directory/directory.repository.ts";
import { upsertPeer } from "../../server/modules/peers/peer.repository.ts";
import { createFakeNode, type FakeNode } from "./helpers/fake-node.ts";

/** The admin API and page for peers: who may use them, what they refuse, and the page's forms. */

let node: TestNode;
let strict: TestNode;
let workers: { stop(): Promise<void> };
let fake: FakeNode;
let admin: { token: string; session: string };
let member: { token: string };

async function account(n: TestNode, handle: string, role: "admin" | "member") {
  const actor = await insertActor(n.database.db, { handle, kind: "person", name: handle, summary: "" });
  const accountId = await insertAccount(n.database.db, { actorId: actor!.id, passwordHash: "unused", role, status: "active" });
  return { token: (await createApiToken(n.database.db, accountId, "tests")).token, session: await createSession(n.database.db, accountId) };
}

before(async () => {
  node = await createInboxTestNode();
  // A node as in production: private addresses refused (ALLOW_PRIVATE_ADDRESS unset).
  strict = await createTestNode({ PUBLIC_URL: "https://strict.test" });
  workers = startWorkers(node);
  fake = await createFakeNode(node);
  admin = await account(node, "root", "admin");
  member = await account(node, "mia", "member");
});
after(async () => {
  await workers.stop();
  await fake.close();
  await node.close();
  await strict.close();
});

const bearer = (token: string): [string, string] => ["Authorization", `Bearer ${token}`];

describe(`the peers admin API on ${ENGINE_LABEL}`, () => {
  test("admins only", async () => {
    assert.equal((await node.http.get("/api/v1/admin/peers")).status, 401);
    assert.equal((await node.http.get("/api/v1/admin/peers").set(...bearer(member.token))).status, 403);
    assert.equal((await node.http.post("/api/v1/admin/peers").set(...bearer(member.token)).send({ url: fake.origin })).status, 403);
    assert.equal((await node.http.delete("/api/v1/admin/peers/1").set(...bearer(member.token))).status, 403);
  });

  test("bad addresses and non-nodes are refused with a message naming the problem", async () => {
    const post = (n: TestNode, body: unknown) => n.http.post("/api/v1/admin/peers").set(...bearer(admin.token)).send(body as object);
    const notUrl = await post(node, { url: "ftp://city.example" });
    assert.equal(notUrl.status, 422);
    assert.equal(notUrl.body.issues[0].path, "url");
    assert.equal((await post(node, {})).status, 422);
    const self = await post(node, { url: node.config.publicUrl.origin });
    assert.equal(self.status, 422);
    assert.match(self.body.message, /own address/);

    const strictAdmin = await account(strict, "root", "admin");
    const privateAddress = await strict.http.post("/api/v1/admin/peers").set(...bearer(strictAdmin.token)).send({ url: fake.origin });
    assert.equal(privateAddress.status, 422);
    assert.match(privateAddress.body.message, /private/);

    const people = await createFakeNode(node);
    try {
      people.peer.serve("/nodeinfo/2.1", { version: "2.1", metadata: { nodeActor: "https://elsewhere.example/actor" } }, "application/json");
      const elsewhere = await post(node, { url: people.origin });
      assert.equal(elsewhere.status, 422);
      assert.match(elsewhere.body.message, /another host/);
      people.peer.fail("/.well-known/nodeinfo", 404);
      const noNodeInfo = await post(node, { url: people.origin });
      assert.equal(noNodeInfo.status, 422);
      assert.match(noNodeInfo.body.message, /404/);
    } finally {
      await people.close();
    }
    assert.deepEqual((await node.http.get("/api/v1/admin/peers").set(...bearer(admin.token))).body.items, []);
  });

  test("connecting sends our node actor's Follow; disconnecting undoes it; unknown ids are 404", async () => {
    const res = await node.http.post("/api/v1/admin/peers").set(...bearer(admin.token)).send({ url: fake.origin });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      { host: res.body.host, actor: res.body.actor, name: res.body.name, state: res.body.state, weFollow: res.body.weFollow, theyFollow: res.body.theyFollow },
      { host: fake.host, actor: fake.actor.id, name: "Fake node", state: "requested", weFollow: "pending", theyFollow: "none" },
    );
    const follow = await fake.peer.waitFor("our Follow", (r) => r.activity.type === "Follow");
    assert.equal(follow.verified, true);
    assert.equal(follow.activity.object, fake.actor.id);

    assert.equal((await node.http.post("/api/v1/admin/peers/999999/approve").set(...bearer(admin.token))).status, 404);
    assert.equal((await node.http.delete("/api/v1/admin/peers/nope").set(...bearer(admin.token))).status, 422);
    const gone = await node.http.delete(`/api/v1/admin/peers/${res.body.id}`).set(...bearer(admin.token));
    assert.equal(gone.status, 204);
    const undo = await fake.peer.waitFor("our Undo", (r) => r.activity.type === "Undo");
    assert.equal((undo.activity.object as { id: string }).id, follow.activity.id);
    assert.deepEqual((await node.http.get("/api/v1/admin/peers").set(...bearer(admin.token))).body.items, []);
  });

  test("the OpenAPI document describes the peers API", async () => {
    const doc = (await node.http.get("/api/openapi.json")).body;
    assert.ok(doc.paths["/v1/admin/peers"].post);
    assert.ok(doc.paths["/v1/admin/peers/{id}"].delete);
    assert.ok(doc.paths["/v1/admin/peers/{id}/approve"].post);
  });
});

describe(`the /admin/peers page on ${ENGINE_LABEL}`, () => {
  const cookies = () => `${sessionCookieName(node.config.publicUrl)}=${admin.session}; ${CSRF_COOKIE}=${"c".repeat(43)}`;

  test("lists peers with their state, and every form carries the CSRF field", async () => {
    const asking = await createFakeNode(node);
    try {
      const follow = { id: `${asking.actor.id}#follows/1`, type: "Follow", actor: asking.actor.id, object: `${node.config.publicUrl.origin}/@node` };
      await node.http.put("/api/v1/admin/charter").set(...bearer(admin.token)).send({ registration: "open", federation: { mode: "allowlist" }, note: "allowlist" });
      assert.equal((await asking.post(node, `${node.config.publicUrl.origin}/@node/inbox`, follow)).status, 202);
      for (let i = 0; i < 100; i++) {
        const items = (await node.http.get("/api/v1/admin/peers").set(...bearer(admin.token))).body.items;
        if (items.some((p: { state: string }) => p.state === "awaiting-approval")) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const page = await node.http.get("/admin/peers").set("Cookie", cookies());
      assert.equal(page.status, 200);
      const { document } = parseHTML(page.text);
      const connect = document.querySelector("form.connect-peer")!;
      assert.equal(connect.getAttribute("action"), "/admin/peers");
      assert.equal(connect.querySelector(`input[name=${CSRF_FIELD}]`)?.getAttribute("value"), "c".repeat(43));
      assert.ok(connect.querySelector("label[for=url] input#url"));
      const item = document.querySelector(`li.peer[data-state="awaiting-approval"]`)!;
      assert.match(item.querySelector(".peer-host")!.textContent!, new RegExp(asking.host.replace(/[.:]/g, "\\$&")));
      const forms = [...item.querySelectorAll("form")];
      assert.deepEqual(forms.map((f) => f.getAttribute("action")?.replace(/\d+/, "ID")), ["/admin/peers/ID/approve", "/admin/peers/ID/disconnect"]);
      for (const form of document.querySelectorAll("form[method=post]")) assert.ok(form.querySelector(`input[name=${CSRF_FIELD}]`), form.getAttribute("action")!);

      // Approving through the page (a form post with the CSRF field) redirects back with a notice.
      const approve = await node.http.post(forms[0]!.getAttribute("action")!).set("Cookie", cookies()).type("form").send({ [CSRF_FIELD]: "c".repeat(43) });
      assert.equal(approve.status, 303);
      assert.equal(approve.headers.location, "/admin/peers?done=approved");
      const after = parseHTML((await node.http.get("/admin/peers?done=approved").set("Cookie", cookies())).text).document;
      assert.match(after.querySelector("p.notice")!.textContent!, /Approved/);
      assert.equal(after.querySelector(`li.peer[data-state="awaiting-approval"]`), null);
    } finally {
      await asking.close();
    }
  });

  test("a form without the CSRF field is refused; a bad address re-renders the form with its error", async () => {
    const forged = await node.http.post("/admin/peers").set("Cookie", cookies()).type("form").send({ url: fake.origin });
    assert.equal(forged.status, 403);
    const bad = await node.http.post("/admin/peers").set("Cookie", cookies()).type("form").send({ url: "ftp://x.example", [CSRF_FIELD]: "c".repeat(43) });
    assert.equal(bad.status, 422);
    const { document } = parseHTML(bad.text);
    assert.equal(document.querySelector("#url")?.getAttribute("aria-invalid"), "true");
    assert.match(document.querySelector("#url-error")!.textContent!, /http or https/);
  });

  test("members are refused, visitors sent to log in", async () => {
    assert.equal((await node.http.get("/admin/peers").set(...bearer(member.token))).status, 403);
    const visitor = await node.http.get("/admin/peers");
    assert.equal(visitor.status, 303);
    assert.match(visitor.headers.location!, /^\/login/);
  });
});

describe(`the node actor's directory collection on ${ENGINE_LABEL}`, () => {
  test("pages our entries and those we may forward, 100 a page, forwarded ones with the reader's hop count", async () => {
    const peer = await upsertPeer(node.database.db, { host: "peer.example", actorIri: "https://peer.example/@node", inbox: "https://peer.example/@node/inbox", sharedInbox: null, name: "Peer" });
    const draft = (i: number, maxHops: number) =>
      DirectoryEntryDraftSchema.parse({
        iri: `https://peer.example/directory/entries/p${i}`,
        kind: "project",
        name: `Peer project ${i}`,
        url: `https://peer.example/@p${i}`,
        origin: "https://peer.example/@node",
        updatedAt: new Date().toISOString(),
        maxHops,
      });
    // 120 the origin lets travel one node further, 5 it keeps to its direct peers.
    for (let i = 0; i < 125; i++) await upsertReceivedEntry(node.database.db, draft(i, i < 120 ? 1 : 0), { peerId: peer.id, hops: 1 });
    const get = async (url: string) => {
      const res = await node.http.get(new URL(url).pathname + new URL(url).search).set("Accept", "application/activity+json");
      assert.equal(res.status, 200, `${url}: ${res.text}`);
      return JSON.parse(res.text);
    };
    const collection = await get(`${node.config.publicUrl.origin}/@node/directory`);
    assert.equal(collection.type, "OrderedCollection");
    assert.equal(collection.totalItems, 120);
    const first = await get(collection.first);
    assert.equal(first.orderedItems.length, 100);
    const second = await get(first.next);
    assert.equal(second.orderedItems.length, 20);
    assert.equal(second.next, undefined);
    const items = [...first.orderedItems, ...second.orderedItems];
    assert.deepEqual(items.map((i: { id: string }) => i.id), Array.from({ length: 120 }, (_, i) => `https://peer.example/directory/entries/p${i}`));
    const item = items[0];
    assert.equal(item.type, "Page");
    assert.equal(item.attributedTo, "https://peer.example/@node");
    assert.equal(hopsOf(item), 2);
    assert.equal((await node.http.get("/@root/directory").set("Accept", "application/activity+json")).status, 404, "only the node actor has one");
  });
});
