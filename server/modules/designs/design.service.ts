import type { Db, DbOrTrx, ForkLink } from "../../db/database.ts";
import { DomainError, forbidden, notFound } from "../../platform/errors.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { renderMarkdown } from "../../platform/text/markdown.ts";
import { ensureActorKeys } from "../actors/actor-keys.ts";
import { insertActor, updateActorProfile } from "../actors/index.ts";
import type { ActivityDraft, EmitActivity } from "../outbox/index.ts";
import { commitWithActivities } from "../outbox/index.ts";
import { tagBaseUrl } from "../projects/index.ts";
import { type DesignMaintainer, findDesignByHandle, findMemberActor, findProjectActor, isDesignMaintainer, listDesignMaintainers } from "./design.queries.ts";
import { type DesignFields, insertDesign, insertDesignMaintainer, setDesignListed, updateDesignFields } from "./design.repository.ts";
import { type AddDesignMaintainerInput, type CreateDesignInput, type EditDesignInput, isShareAlike } from "./design.schema.ts";
import { type DesignView, toDesignView } from "./design-view.ts";

/**
 * Keeps a design's directory listing in step with it (the directory's code, wired in
 * server/app/services.ts): called inside the transaction of every change a listing shows (created,
 * edited, a new release), so the listing and the change commit together, with what peers must hear.
 */
export interface DesignListingPort {
  changed(trx: DbOrTrx, design: { readonly actorId: number; readonly handle: string }, emit: EmitActivity): Promise<void>;
}

/** What the designs' functions need: the database, the node secret (actor keys) and the public URL. */
export interface DesignDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly publicUrl: URL;
  readonly listing?: DesignListingPort;
}

/** A design's fork origin, given when a fork creates it (the forks' code fetched and checked it). */
export interface ForkOrigin {
  readonly forkOf: string;
  readonly forkChain: readonly ForkLink[];
}

export async function loadDesign(db: DbOrTrx, publicUrl: URL, handle: string): Promise<DesignView | undefined> {
  const record = await findDesignByHandle(db, handle);
  return record && toDesignView(publicUrl, record);
}

export async function requireDesign(db: DbOrTrx, publicUrl: URL, handle: string): Promise<DesignView> {
  const design = await loadDesign(db, publicUrl, handle);
  if (design === undefined) throw notFound(`There is no design @${handle} on this node.`);
  return design;
}

/** Only maintainers change a design or publish its releases (403 for anyone else). */
export async function requireDesignMaintainer(db: DbOrTrx, design: DesignView, memberActorId: number): Promise<void> {
  if (!(await isDesignMaintainer(db, design.actorId, memberActorId))) throw forbidden(`Only maintainers of @${design.handle} may do this.`);
}

/** The local project a design links to: 422 naming the handle when there is none. */
async function resolveProject(db: DbOrTrx, handle: string | null): Promise<{ id: number; handle: string; name: string } | null> {
  if (handle === null) return null;
  const project = await findProjectActor(db, handle);
  if (project === undefined) {
    throw new DomainError("invalid_input", "invalid_input", `project: there is no project @${handle} on this node.`, [{ path: "project", message: `there is no project @${handle} on this node` }]);
  }
  return project;
}

/**
 * A fork of a share-alike design keeps its licence (the licence's own reciprocity condition, e.g.
 * CERN-OHL-S v2, https://ohwr.org/cern_ohl_s_v2.txt): refused with the rule that applies, naming the licence.
 */
function checkShareAlike(design: DesignView, licence: string): void {
  const origin = design.forkChain.at(-1);
  if (origin === undefined || !isShareAlike(origin.licence) || origin.licence === licence) return;
  const message = `this design is a fork of “${origin.name}” under ${origin.licence}, a share-alike licence: its forks keep ${origin.licence}`;
  throw new DomainError("invalid_input", "invalid_input", `licence: ${message}.`, [{ path: "licence", message }]);
}

const renderSummary = (publicUrl: URL, markdown: string): string => renderMarkdown(markdown, { tagBaseUrl: tagBaseUrl(publicUrl) }).html;

/**
 * Creates a design: its `service` actor (the handle is unique across every local actor, 409 when
 * taken), its design row, its keys and the creator as first maintainer, in one transaction. A fork
 * passes where it came from.
 */
export async function createDesign(deps: DesignDeps, creatorActorId: number, input: CreateDesignInput, fork?: ForkOrigin): Promise<DesignView> {
  const handle = await commitWithActivities(deps.db, async (trx, emit) => (await insertDesignRows(deps, trx, emit, creatorActorId, input, fork)).handle);
  return await requireDesign(deps.db, deps.publicUrl, handle);
}

/**
 * The rows of a new design, in the caller's transaction: createDesign's, or the one that also
 * publishes its first release (a fork or an imported manifest), so neither half is ever stored alone.
 */
export async function insertDesignRows(
  deps: DesignDeps,
  trx: DbOrTrx,
  emit: EmitActivity,
  creatorActorId: number,
  input: CreateDesignInput,
  fork?: ForkOrigin,
): Promise<{ readonly actorId: number; readonly handle: string }> {
  const summaryHtml = renderSummary(deps.publicUrl, input.summary);
  const projectActorId = (await resolveProject(trx, input.project))?.id ?? null;
  const actor = await insertActor(trx, { handle: input.handle, kind: "service", name: input.name, summary: summaryHtml });
  if (actor === undefined) throw new DomainError("conflict", "conflict", `handle: @${input.handle} is already taken.`, [{ path: "handle", message: "is already taken" }]);
  const fields: DesignFields = {
    summaryMarkdown: input.summary,
    function: input.function,
    tags: input.tags,
    licence: input.licence,
    documentationLicence: input.documentationLicence,
    licensor: input.licensor,
    projectActorId,
  };
  await insertDesign(trx, actor.id, creatorActorId, fields, { listed: input.listed, forkOf: fork?.forkOf ?? null, forkChain: fork?.forkChain ?? [] });
  await insertDesignMaintainer(trx, actor.id, creatorActorId);
  await ensureActorKeys(trx, deps.box, actor.id);
  await deps.listing?.changed(trx, { actorId: actor.id, handle: actor.handle }, emit);
  return { actorId: actor.id, handle: actor.handle };
}

/** What followers see of a design: a change to any of these sends them an `Update(Service)`. */
function profileFingerprint(design: DesignView): string {
  return JSON.stringify([design.name, design.summaryHtml, design.function, design.tags, design.licence, design.documentationLicence, design.licensor, design.project?.handle ?? null]);
}

/**
 * Edits a design (maintainers only). A change followers can see commits together with an
 * `Update(Service)` to them, as a project's edit does; `listed` alone changes only the directory.
 */
export async function editDesign(
  deps: DesignDeps,
  editorActorId: number,
  handle: string,
  input: EditDesignInput,
  profileUpdated: (design: DesignView) => Promise<ActivityDraft>,
): Promise<DesignView> {
  const current = await requireDesign(deps.db, deps.publicUrl, handle);
  await requireDesignMaintainer(deps.db, current, editorActorId);
  if (input.licence !== undefined) checkShareAlike(current, input.licence);
  const stored = (await findDesignByHandle(deps.db, handle))!;
  const project = input.project === undefined ? undefined : await resolveProject(deps.db, input.project);
  const summaryMarkdown = input.summary ?? current.summaryMarkdown;
  const next: DesignView = {
    ...current,
    name: input.name ?? current.name,
    summaryMarkdown,
    summaryHtml: input.summary === undefined ? current.summaryHtml : renderSummary(deps.publicUrl, summaryMarkdown),
    function: input.function ?? current.function,
    tags: input.tags ?? current.tags,
    licence: input.licence ?? current.licence,
    documentationLicence: input.documentationLicence === undefined ? current.documentationLicence : input.documentationLicence,
    licensor: input.licensor ?? current.licensor,
    project: project === undefined ? current.project : project && { handle: project.handle, name: project.name },
    updatedAt: new Date(),
  };
  const visible = profileFingerprint(next) !== profileFingerprint(current);
  // Built before the transaction, as a project's is: building the actor loads its keys.
  const draft = visible ? await profileUpdated(next) : undefined;
  await commitWithActivities(deps.db, async (trx, emit) => {
    if (visible) {
      await updateActorProfile(trx, current.actorId, { name: next.name, summary: next.summaryHtml });
      await updateDesignFields(trx, current.actorId, {
        summaryMarkdown: next.summaryMarkdown,
        function: next.function,
        tags: next.tags,
        licence: next.licence,
        documentationLicence: next.documentationLicence,
        licensor: next.licensor,
        projectActorId: project === undefined ? stored.projectActorId : (project?.id ?? null),
      });
    }
    if (input.listed !== undefined && input.listed !== current.listed) await setDesignListed(trx, current.actorId, input.listed);
    if (draft !== undefined) await emit(draft);
    await deps.listing?.changed(trx, current, emit);
  });
  return await requireDesign(deps.db, deps.publicUrl, handle);
}

/**
 * Adds an active member of this node (`alice` or `alice@this-host`) as maintainer (maintainers
 * only), as a project's maintainers are added; adding one twice is not an error (`added` false).
 */
export async function addDesignMaintainer(
  deps: DesignDeps,
  byActorId: number,
  handle: string,
  input: AddDesignMaintainerInput,
): Promise<{ added: boolean; maintainers: DesignMaintainer[] }> {
  const design = await requireDesign(deps.db, deps.publicUrl, handle);
  await requireDesignMaintainer(deps.db, design, byActorId);
  const [local, host] = input.handle.split("@");
  const invalid = (message: string) => new DomainError("invalid_input", "invalid_input", `handle: ${message}`, [{ path: "handle", message }]);
  if (host !== undefined && host !== deps.publicUrl.host) throw invalid("must be a member of this node");
  const member = await findMemberActor(deps.db, local ?? "");
  if (member === undefined) throw invalid(`there is no active member @${local} on this node`);
  const added = await insertDesignMaintainer(deps.db, design.actorId, member.id);
  return { added, maintainers: await listDesignMaintainers(deps.db, design.actorId) };
}

