import { CSRF_COOKIE, CSRF_FIELD } from "../../../server/http/csrf.ts";
import { insertAccount } from "../../../server/modules/accounts/account.repository.ts";
import { createApiToken, createSession } from "../../../server/modules/accounts/credential.repository.ts";
import { createAdmin } from "../../../server/modules/accounts/registration.ts";
import { insertActor } from "../../../server/modules/actors/actor.repository.ts";
import type { TestNode } from "../../helpers/test-node.ts";
import { createInboxTestNode, createMember, createProjectOf, type LocalMember, startWorkers } from "../../inbox/helpers/inbox-env.ts";
import { createSigningPeer, type SigningPeer } from "../../inbox/helpers/signing-peer.ts";

/** Who sends a request: nobody, a member who maintains the project, or an admin. */
export type PersonaName = "anonymous" | "member" | "admin";

export interface Persona {
  readonly name: PersonaName;
  /** Bearer token for the API; undefined for anonymous. */
  token: string | undefined;
  /** Session cookie for the pages (`name=value`); undefined for anonymous. */
  session: string | undefined;
}

/** Any well-formed value works: the double-submit check compares the cookie with the field. */
export const CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuz";

/** A node with something in it for every path parameter to point at, and a peer that signs. */
export interface FuzzWorld {
  readonly node: TestNode;
  readonly peer: SigningPeer;
  readonly member: LocalMember;
  readonly project: string;
  readonly updateId: string;
  readonly updateIri: string;
  readonly personas: readonly Persona[];
  /** An id of a token no persona uses, so deleting it leaves the run signed in. */
  readonly spareTokenId: number;
  readonly pendingAccountId: number;
  /** Fresh credentials for every persona: a case may have logged out or revoked its token. */
  refreshCredentials(): Promise<void>;
  close(): Promise<void>;
}

export async function createFuzzWorld(): Promise<FuzzWorld> {
  const node = await createInboxTestNode();
  const peer = await createSigningPeer(node, ["alice"]);
  const member = await createMember(node, "maria");
  const { handle: project } = await createProjectOf(node, member, "bikekitchen");
  const admin = await createAdmin(node.database.db, node.deps.box, { username: "root", password: "correct horse battery" });
  if (!admin.ok) throw new Error(`could not create the admin: ${admin.message}`);
  const waiting = await insertActor(node.database.db, { handle: "waiting", kind: "person", name: "Waiting", summary: "" });
  const pendingAccountId = await insertAccount(node.database.db, { actorId: waiting!.id, passwordHash: "unused", role: "member", status: "pending" });
  const sessionCookie = await sessionCookieName(node, member.handle);
  const spare = await createApiToken(node.database.db, member.accountId, "spare");
  const posted = await node.http
    .post(`/api/v1/projects/${project}/updates`)
    .set("Authorization", `Bearer ${member.token}`)
    .send({ content: "Open workshop on Saturday #bikes" });
  if (posted.status !== 201) throw new Error(`could not post an update: ${posted.status} ${posted.text}`);
  const workers = startWorkers(node);
  const accounts: Record<PersonaName, number | undefined> = { anonymous: undefined, member: member.accountId, admin: admin.profile.accountId };
  const personas: Persona[] = (["anonymous", "member", "admin"] as const).map((name) => ({ name, token: undefined, session: undefined }));
  const world: FuzzWorld = {
    node,
    peer,
    member,
    project,
    updateId: posted.body.id as string,
    updateIri: posted.body.iri as string,
    personas,
    spareTokenId: spare.id,
    pendingAccountId,
    async refreshCredentials() {
      for (const persona of personas) {
        const accountId = accounts[persona.name];
        if (accountId === undefined) continue;
        persona.token = (await createApiToken(node.database.db, accountId, "fuzz")).token;
        persona.session = `${sessionCookie}=${await createSession(node.database.db, accountId)}`;
      }
    },
    async close() {
      await workers.stop();
      await peer.close();
      await node.close();
    },
  };
  await world.refreshCredentials();
  return world;
}

/** The name the node gives its session cookie, learnt by signing in through the login form as a person would. */
async function sessionCookieName(node: TestNode, handle: string): Promise<string> {
  const res = await node.http
    .post("/login")
    .set("Cookie", `${CSRF_COOKIE}=${CSRF_TOKEN}`)
    .type("form")
    .send(`${CSRF_FIELD}=${CSRF_TOKEN}&username=${handle}&password=correct+horse+battery`);
  const cookies = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
  const name = cookies.map((cookie) => cookie.split("=")[0]!).find((cookieName) => cookieName.endsWith("session"));
  if (name === undefined) throw new Error(`signing in set no session cookie: ${res.status} ${cookies.join("; ")}`);
  return name;
}

/** A value that exists for a path parameter, chosen by its name and the segment before it. */
export function realParameter(world: FuzzWorld, name: string, after: string, constraint: string | undefined): string {
  if (name === "identifier") return world.project;
  if (name === "actorPath") return `@${constraint?.includes("a-z0-9") && !constraint.includes("A-Z") ? world.member.handle : world.project}`;
  if (name === "handle") return world.project;
  if (name === "id" && after === "updates") return world.updateId;
  if (name === "id" && after === "tokens") return String(world.spareTokenId);
  if (name === "id" && after === "accounts") return String(world.pendingAccountId);
  if (name === "id" && after === "notes") return "0190f1a0-0000-7000-8000-000000000000";
  if (name === "version") return constraint?.startsWith("v") ? "v1" : "1";
  if (name === "tag") return "bikes";
  if (name === "file") return "missing.webp";
  return "1";
}
