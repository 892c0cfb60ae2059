import sharp from "sharp";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken, createSession } from "../../server/modules/accounts/credential.repository.ts";
import { sessionCookieName } from "../../server/http/session-cookie.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import type { TestNode } from "../helpers/test-node.ts";

export const AP = "application/activity+json";
export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

export interface TestMember {
  readonly handle: string;
  readonly actorId: number;
  readonly accountId: number;
  readonly token: string;
}

/** A signed-in member made directly in the database (registration is tested elsewhere). */
export async function createMember(node: TestNode, handle: string): Promise<TestMember> {
  const actor = await insertActor(node.database.db, { handle, kind: "person", name: `Member ${handle}`, summary: "" });
  if (actor === undefined) throw new Error(`handle ${handle} taken`);
  const accountId = await insertAccount(node.database.db, { actorId: actor.id, passwordHash: "unused", role: "member", status: "active" });
  const { token } = await createApiToken(node.database.db, accountId, "test");
  return { handle, actorId: actor.id, accountId, token };
}

/** A fixed double-submit CSRF token: the cookie and the form field carry the same value. */
export const CSRF_TOKEN = "t".repeat(43);

/** Cookies of a signed-in browser (a fresh session) with the CSRF cookie. */
export async function browserCookies(node: TestNode, member: TestMember): Promise<string> {
  const session = await createSession(node.database.db, member.accountId);
  return `${sessionCookieName(node.config.publicUrl)}=${session}; cn_csrf=${CSRF_TOKEN}`;
}

export function bearer(member: TestMember): [string, string] {
  return ["Authorization", `Bearer ${member.token}`];
}

/** A small real PNG, so uploads go through the media pipeline. */
export async function pngBytes(width = 64, height = 48, color = { r: 200, g: 80, b: 40 }): Promise<Buffer> {
  return await sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}

export async function uploadImage(node: TestNode, member: TestMember, options: { purpose?: string; description?: string } = {}): Promise<{ id: string; url: string }> {
  const req = node.http
    .post("/api/v1/media")
    .set(...bearer(member))
    .attach("file", await pngBytes(), { filename: "picture.png", contentType: "image/png" })
    .field("purpose", options.purpose ?? "attachment");
  if (options.description !== undefined) req.field("description", options.description);
  const res = await req;
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function createProject(node: TestNode, member: TestMember, body: Record<string, unknown>) {
  const res = await node.http.post("/api/v1/projects").set(...bearer(member)).send(body);
  if (res.status !== 201) throw new Error(`create project failed: ${res.status} ${res.text}`);
  return res.body as { id: number; handle: string; acct: string; iri: string; url: string };
}

export async function postUpdate(node: TestNode, member: TestMember, handle: string, body: Record<string, unknown>) {
  const res = await node.http.post(`/api/v1/projects/${handle}/updates`).set(...bearer(member)).send(body);
  if (res.status !== 201) throw new Error(`post update failed: ${res.status} ${res.text}`);
  return res.body as { id: string; iri: string; url: string };
}

export interface OutboxRow {
  readonly id: number;
  readonly sender: string;
  readonly recipients: unknown;
  readonly activity: Record<string, unknown>;
  readonly orderingKey: string | null;
}

/** Outbox rows after `afterId`, oldest first. */
export async function outboxRows(node: TestNode, afterId = 0): Promise<OutboxRow[]> {
  const rows = await node.database.db.selectFrom("outbox").selectAll().where("id", ">", afterId).orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, sender: r.sender, recipients: r.recipients, activity: r.activity as Record<string, unknown>, orderingKey: r.ordering_key }));
}

export async function lastOutboxId(node: TestNode): Promise<number> {
  const row = await node.database.db.selectFrom("outbox").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** A JSON-LD value that may be one item or an array, as an array. */
export function asArray<T>(value: T | T[] | undefined | null): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}
