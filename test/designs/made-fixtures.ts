import sharp from "sharp";
import type { ForkLink } from "../../server/db/database.ts";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken } from "../../server/modules/accounts/credential.repository.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { ensureActorKeys } from "../../server/modules/actors/actor-keys.ts";
import type { NodeServices } from "../../server/app/node.ts";
import { CreateDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import type { TestDatabase } from "../helpers/test-database.ts";

/** What made-here tests need of a node, listening or not. */
export interface MadeNode {
  readonly services: NodeServices["services"];
  readonly deps: NodeServices["deps"];
  readonly database: TestDatabase;
  readonly http: { post(path: string): any; get(path: string): any };
}

export interface Member {
  readonly handle: string;
  readonly actorId: number;
  readonly token: string;
}

/** An active member made directly in the database, with keys and an API token (registration is tested elsewhere). */
export async function createMember(node: Pick<MadeNode, "database" | "deps">, handle: string): Promise<Member> {
  const actor = await insertActor(node.database.db, { handle, kind: "person", name: `Member ${handle}`, summary: "" });
  if (actor === undefined) throw new Error(`handle ${handle} is taken`);
  // Registration gives members their keys (server/modules/accounts/registration.ts); they sign the reports.
  await ensureActorKeys(node.database.db, node.deps.box, actor.id);
  const accountId = await insertAccount(node.database.db, { actorId: actor.id, passwordHash: "unused", role: "member", status: "active" });
  const { token } = await createApiToken(node.database.db, accountId, "made-here test");
  return { handle, actorId: actor.id, token };
}

export const bearer = (member: Member): [string, string] => ["Authorization", `Bearer ${member.token}`];

export interface DesignRelease {
  readonly handle: string;
  readonly name: string;
  readonly designIri: string;
  readonly releaseIri: string;
  readonly version: string;
  readonly host: string;
  /** The link a fork of this release carries. */
  readonly link: ForkLink;
}

/**
 * A design with one release (no files), made through the designs service as a maintainer would; a
 * fork names the release it forks and the chain before it, as the forks code records it.
 */
export async function publishDesign(
  node: MadeNode,
  maintainer: Member,
  handle: string,
  name: string,
  fork?: { readonly of: DesignRelease; readonly chain: readonly ForkLink[] },
): Promise<DesignRelease> {
  const { designs } = node.services;
  const forkInfo = fork && { forkOf: fork.of.releaseIri, forkChain: [...fork.chain, fork.of.link] };
  const input = CreateDesignSchema.parse({ handle, name, summary: `The ${name}.`, function: "Dries fruit with sunlight", licence: "CERN-OHL-S-2.0" });
  const design = await designs.create(maintainer.actorId, input, forkInfo);
  const release = await designs.publishRelease(maintainer.actorId, handle, ReleaseInputSchema.parse({ version: "1.0.0", notes: "First release." }), [], fork && { forkOf: fork.of.releaseIri });
  const host = new URL(design.iri).host;
  return {
    handle,
    name,
    designIri: design.iri,
    releaseIri: release.iri,
    version: release.version,
    host,
    link: { release: release.iri, design: design.iri, name, host, licence: "CERN-OHL-S-2.0" },
  };
}

/** A real JPEG through POST /api/v1/media (purpose attachment), with `description` as its alt text. */
export async function uploadPhoto(node: MadeNode, member: Member, description: string): Promise<string> {
  const jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 200, g: 140, b: 30 } } }).jpeg().toBuffer();
  const res = await node.http
    .post("/api/v1/media")
    .set(...bearer(member))
    .attach("file", jpeg, { filename: "dryer.jpg", contentType: "image/jpeg" })
    .field("purpose", "attachment")
    .field("description", description);
  if (res.status !== 201) throw new Error(`POST /api/v1/media answered ${res.status}: ${res.text}`);
  return (res.body as { id: string }).id;
}

/** A build in Lyon, as the report-a-build form would send it. */
export function lyonReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    place: "Lyon",
    latitude: 45.764,
    longitude: 4.8357,
    madeAt: "2026-10-02T15:00:00Z",
    facility: "Atelier Soleil fablab",
    notes: "Built **three** for the roof garden.",
    deviations: "Float glass instead of polycarbonate.",
    ...overrides,
  };
}
