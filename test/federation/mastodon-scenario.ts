import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { createFakeMastodon, type Delivery, type FakeMastodon, type FakeMastodonOptions } from "../fakes/fake-mastodon.ts";
import { asArray, idOf } from "../fakes/mastodon-rules.ts";
import { auth, createMaintainer, eventually, type ListeningNode, type Maintainer, startListeningNode } from "./listening-node.ts";

/**
 * One Commonsnet node listening on loopback, a fake Mastodon server, a maintainer and a project
 * (`solar-coop`), for the end-to-end federation tests. `follow()` makes Alice follow the project and
 * waits until her server has processed the Accept.
 */
export interface Scenario {
  readonly node: ListeningNode;
  readonly fake: FakeMastodon;
  readonly maintainer: Maintainer;
  readonly project: { readonly handle: string; readonly iri: string; readonly url: string };
  close(): Promise<void>;
}

export async function startScenario(options: FakeMastodonOptions = {}): Promise<Scenario> {
  const node = await startListeningNode();
  const fake = await createFakeMastodon(options);
  try {
    const maintainer = await createMaintainer(node, "maria");
    const res = await node.http
      .post("/api/v1/projects")
      .set(...auth(maintainer))
      .send({ handle: "solar-coop", name: "Solar Co-op", summary: "Community-owned **rooftop solar**.", tags: ["solar", "energy"] });
    assert.equal(res.status, 201, `POST /api/v1/projects: ${res.text}`);
    const project = res.body as { handle: string; iri: string; url: string };
    return {
      node,
      fake,
      maintainer,
      project,
      async close() {
        await fake.close();
        await node.close();
      },
    };
  } catch (error) {
    await fake.close();
    await node.close();
    throw error;
  }
}

/** Alice (or another account of the fake) follows the project; resolves with the Accept once her server took it. */
export async function followProject(s: Scenario, username?: string): Promise<Delivery> {
  const account = username === undefined ? s.fake : s.fake.account(username);
  const sent = await account.follow(s.project.iri);
  assert.equal(sent.status, 202, `our inbox answered the Follow with ${sent.status}: ${sent.text}`);
  const followId = String(sent.activity.id);
  const accept = await s.fake.waitForDelivery(`the Accept of ${followId}`, (d) => d.activity?.type === "Accept" && idOf(d.activity.object) === followId);
  await eventually(`${account.actorId} to see its follow accepted`, async () => (account.followState(s.project.iri) === "accepted" ? true : undefined));
  return accept;
}

export async function postUpdate(s: Scenario, body: Record<string, unknown>): Promise<{ id: string; iri: string; url: string }> {
  const res = await s.node.http.post(`/api/v1/projects/${s.project.handle}/updates`).set(...auth(s.maintainer)).send(body);
  assert.equal(res.status, 201, `POST updates: ${res.text}`);
  return res.body as { id: string; iri: string; url: string };
}

export interface UpdateJson {
  readonly contentHtml: string;
  readonly replies: { iri: string; contentHtml: string; author: { acct: string; name: string } }[];
  readonly counts: { replies: number; likes: number; boosts: number };
}

export async function getUpdate(s: Scenario, id: string): Promise<UpdateJson> {
  const res = await s.node.http.get(`/api/v1/projects/${s.project.handle}/updates/${id}`);
  assert.equal(res.status, 200, `GET update: ${res.text}`);
  return res.body as UpdateJson;
}

/** Polls the update's API view until `accept` holds (inbox work is queued, so it lands a little later). */
export async function updateWhen(s: Scenario, id: string, what: string, accept: (u: UpdateJson) => boolean): Promise<UpdateJson> {
  let last: UpdateJson | undefined;
  try {
    return await eventually(what, async () => {
      last = await getUpdate(s, id);
      return accept(last) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify({ counts: last?.counts, replies: last?.replies })}`);
  }
}

/** The update's HTML page, parsed. */
export async function updatePage(s: Scenario, id: string): Promise<Document> {
  const res = await s.node.http.get(`/@${s.project.handle}/updates/${id}`).set("Accept", "text/html");
  assert.equal(res.status, 200, `GET update page: ${res.status}`);
  assert.match(String(res.headers["content-type"]), /^text\/html/);
  return parseHTML(res.text).document as unknown as Document;
}

/** Deliveries of `type` (optionally about `objectId`) the fake received, verified or not. */
export function deliveriesOf(fake: FakeMastodon, type: string, objectId?: string): Delivery[] {
  return fake.deliveries.filter((d) => d.activity?.type === type && (objectId === undefined || idOf(d.activity.object) === objectId));
}

export { asArray, auth, eventually, idOf };
