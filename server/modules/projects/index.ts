import type { Db } from "../../db/database.ts";
import { forbidden, notFound } from "../../platform/errors.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { countFollowers, countFollowersOf, findProjectsByHandles, listMaintainers, listMaintainersOf, listProjects, listProjectsByTag, type MaintainerSummary, type ProjectRecord } from "./project.queries.ts";
import { isMaintainer } from "./project.repository.ts";
import type { AddMaintainerInput, CreateProjectInput, EditProjectInput } from "./project.schema.ts";
import { addMaintainer, createProject, editProject, loadProject, type ProjectPublisher, type ProjectView, requireProject, withImagesAll } from "./project.service.ts";

export type { MaintainerSummary, ProjectRecord } from "./project.queries.ts";
export type { ProjectPublisher, ProjectView } from "./project.service.ts";
export { syncAllProjectEntries, syncProjectEntry, tagBaseUrl } from "./project.service.ts";

/** What the projects service is made with, once, when the node starts. */
export interface ProjectsServiceDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly publicUrl: URL;
  /** The outbox port: federation/ turns project changes into activity drafts. */
  readonly publisher: ProjectPublisher;
}

/** A project as its page and its API resource show it. */
export interface ProjectDetails {
  readonly project: ProjectView;
  readonly maintainers: readonly MaintainerSummary[];
  readonly followersCount: number;
}

/**
 * The one entry to projects (`Group` actors members create and maintain) for the API, the pages,
 * the CLI and the inbox. Reads return read models in a fixed number of queries, however many rows;
 * writes commit with the activities they cause.
 */
export function createProjectsService(deps: ProjectsServiceDeps) {
  const { db, publicUrl, publisher } = deps;
  const projectDeps = { db, box: deps.box, publicUrl };

  const detailsOf = async (projects: readonly ProjectView[]): Promise<ProjectDetails[]> => {
    const ids = projects.map((p) => p.actorId);
    const [maintainers, followers] = await Promise.all([listMaintainersOf(db, ids), countFollowersOf(db, ids)]);
    return projects.map((project) => ({ project, maintainers: maintainers.get(project.actorId) ?? [], followersCount: followers.get(project.actorId) ?? 0 }));
  };

  return {
    find: (handle: string): Promise<ProjectView | undefined> => loadProject(db, publicUrl, handle),
    /** 404 when there is no such project. */
    require: (handle: string): Promise<ProjectView> => requireProject(db, publicUrl, handle),

    async details(handle: string): Promise<ProjectDetails> {
      const project = await requireProject(db, publicUrl, handle);
      const [maintainers, followersCount] = await Promise.all([listMaintainers(db, project.actorId), countFollowers(db, project.actorId)]);
      return { project, maintainers, followersCount };
    },

    /** Newest first, archived last; four queries for any number of projects. */
    async list(limit: number): Promise<ProjectDetails[]> {
      return await detailsOf(await withImagesAll(db, publicUrl, await listProjects(db, limit)));
    },

    /** The bare records (no images, maintainers or counts), for short lists. */
    records: (limit: number): Promise<ProjectRecord[]> => listProjects(db, limit),
    recordsTagged: (tag: string, limit: number): Promise<ProjectRecord[]> => listProjectsByTag(db, tag, limit),

    /** Display names by handle, one query. */
    async namesOf(handles: readonly string[]): Promise<Map<string, string>> {
      return new Map((await findProjectsByHandles(db, [...new Set(handles)])).map((p) => [p.handle, p.name]));
    },

    maintainers: (project: Pick<ProjectView, "actorId">): Promise<MaintainerSummary[]> => listMaintainers(db, project.actorId),
    isMaintainer: (project: Pick<ProjectView, "actorId">, memberActorId: number): Promise<boolean> => isMaintainer(db, project.actorId, memberActorId),

    /** The project and its maintainers, for someone who must be one of them (404, then 403). */
    async requireMaintainer(handle: string, memberActorId: number): Promise<{ project: ProjectView; maintainers: MaintainerSummary[] }> {
      const project = await loadProject(db, publicUrl, handle);
      if (project === undefined) throw notFound(`There is no project @${handle} on this node.`);
      const maintainers = await listMaintainers(db, project.actorId);
      if (!maintainers.some((m) => m.actorId === memberActorId)) throw forbidden(`Only maintainers of @${project.handle} may do this.`);
      return { project, maintainers };
    },

    create: (creatorActorId: number, input: CreateProjectInput): Promise<ProjectView> => createProject(projectDeps, creatorActorId, input, publisher),
    edit: (editorActorId: number, handle: string, input: EditProjectInput): Promise<ProjectView> => editProject(projectDeps, editorActorId, handle, input, publisher),
    addMaintainer: (byActorId: number, handle: string, input: AddMaintainerInput) => addMaintainer(projectDeps, byActorId, handle, input),
  };
}

export type ProjectsService = ReturnType<typeof createProjectsService>;
export { type ProjectLocation } from "./project.repository.ts";
