import { getLogger } from "@logtape/logtape";
import type { z } from "zod";
import type { Db, ForkLink } from "../../db/database.ts";
import { formatMegabytes } from "../../platform/blob-store/index.ts";
import { DomainError, forbidden, invalidInput } from "../../platform/errors.ts";
import { refusalMessage } from "../charter/charter.service.ts";
import type { CharterService } from "../charter/index.ts";
import { hostOf, isPeerAllowed } from "../charter/peer-policy.ts";
import { type DesignFilesService, FileRoleSchema } from "../design-files/index.ts";
import { CreateDesignSchema, DESIGN_NAME_MAX, DESIGN_SUMMARY_MAX, type DesignsService, type DesignView, ReleaseInputSchema, type StoredReleaseFile } from "../designs/index.ts";
import { commitWithActivities, type OutboxRecipient } from "../outbox/index.ts";
import { type ForkRequest, ForkRequestSchema, type RemoteDesign, type RemoteFile, type RemoteRelease } from "./design-fork.schema.ts";
import type { ForkNetworkPort, LocalFork } from "./designs-port.ts";
import { charterLicenceRefusal, shareAlikeRefusal } from "./licence-rule.ts";

const logger = getLogger(["commonsnet", "design-forks"]);

export interface ForkImportDeps {
  readonly db: Db;
  readonly designs: DesignsService;
  readonly charter: CharterService;
  /** Stores fetched files as uploads are stored (server/modules/design-files). */
  readonly files: DesignFilesService;
  readonly network: ForkNetworkPort;
  readonly isShareAlike: (licence: string) => boolean;
  readonly fileMaxBytes: number;
  readonly releaseMaxBytes: number;
}

const refused = (message: string) => new DomainError("invalid_input", "invalid_input", message);

/**
 * Forks a release published on another node: fetch the release and its design (the node's loader:
 * size cap, address policy, signature), apply the charter (blocked host: 403; licence not accepted
 * or a share-alike licence changed: 422), download every file into the blob store under the caps and
 * check each against its declared SHA-256, then create the local design and its first release with
 * the chain back to the original, and announce the fork to every design of the chain. Nothing is
 * created unless every file arrived intact; blobs this attempt added are removed on failure.
 */
export async function forkRemoteRelease(deps: ForkImportDeps, memberActorId: number, body: unknown): Promise<DesignView> {
  const parsed = ForkRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error);
  const request = parsed.data;
  const charter = await deps.charter.current();
  const host = hostOf(request.source);
  if (!isPeerAllowed(charter.document, host)) throw forbidden(`charter rule federation: ${refusalMessage(host, charter.version)}`);

  const release = await deps.network.loadRelease(request.source);
  const design = await deps.network.loadDesign(release.designIri);
  // The chain this fork inherits is checked as the nodes it announces to will check it.
  const chainProblem = await deps.network.chainProblem(design);
  if (chainProblem !== null) throw refused(`source: ${chainProblem}`);
  const licence = request.licence ?? release.licence;
  const licenceRefusal = charterLicenceRefusal(charter, release.licence) ?? charterLicenceRefusal(charter, licence) ?? shareAlikeRefusal(release.licence, licence, deps.isShareAlike);
  if (licenceRefusal !== null) throw refused(licenceRefusal);
  // Everything is validated before the first byte is downloaded.
  const designInput = parseOrRefuse(CreateDesignSchema, designFields(request, design, licence), "the new design");
  const releaseInput = parseOrRefuse(ReleaseInputSchema, { version: release.version, notes: release.notesMarkdown, trl: release.trl, drl: release.drl, bom: release.bom }, "the release");
  if ((await deps.designs.find(designInput.handle)) !== undefined) throw new DomainError("conflict", "conflict", `handle: @${designInput.handle} is already taken.`, [{ path: "handle", message: "is already taken" }]);
  checkDeclaredSizes(deps, release);

  const files = await downloadAll(deps, release.files);
  const chain: ForkLink[] = [...design.forkChain, { release: release.iri, design: design.iri, name: design.name, host, licence: release.licence }];
  let fork: LocalFork;
  try {
    // The design and its first release commit together: a fork is never left without its release.
    const { design: created, release: published } = await deps.designs.createWithFirstRelease(
      memberActorId,
      designInput,
      { forkOf: release.iri, forkChain: chain },
      releaseInput,
      files.map((f) => f.stored),
    );
    fork = { handle: created.handle, name: created.name, iri: created.iri, url: created.url, licence: created.licence, forkOf: release.iri, forkChain: chain, releaseIri: published.iri };
  } catch (error) {
    await removeNewBlobs(deps, files);
    throw error;
  }
  // The fork exists: telling the chain is a side effect that never fails the request.
  await announce(deps, fork, design).catch((error: unknown) => logger.error("The fork {fork} could not be announced: {error}", { fork: fork.iri, error }));
  return await deps.designs.require(fork.handle);
}

/** The new design's fields: the source design's, with the handle and name asked for. */
function designFields(request: ForkRequest, design: RemoteDesign, licence: string) {
  return {
    handle: request.handle ?? design.handle ?? "",
    name: (request.name ?? design.name).slice(0, DESIGN_NAME_MAX),
    summary: design.summaryMarkdown.slice(0, DESIGN_SUMMARY_MAX),
    function: design.function,
    tags: design.tags,
    licence,
    licensor: design.licensor,
  };
}

/** The designs module's own schema decides; a field the source got wrong is named. */
function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join(".");
  if (what === "the new design" && (path === "handle" || path === "name")) throw invalidInput(parsed.error);
  throw refused(`source: ${what}: ${path === "" ? "" : `${path} `}${issue.message}`);
}

/** A release whose declared sizes already pass a cap is refused before any byte is downloaded. */
function checkDeclaredSizes(deps: ForkImportDeps, release: RemoteRelease): void {
  let total = 0;
  for (const file of release.files) {
    if ((file.size ?? 0) > deps.fileMaxBytes) throw tooLarge(`file ${file.name} is larger than ${formatMegabytes(deps.fileMaxBytes)}, this node's cap on one design file`);
    total += file.size ?? 0;
  }
  if (total > deps.releaseMaxBytes) throw tooLarge(`the release's files are larger than ${formatMegabytes(deps.releaseMaxBytes)} together, this node's cap on one release`);
}

const tooLarge = (message: string) => new DomainError("too_large", "payload_too_large", message);

interface Downloaded {
  readonly stored: StoredReleaseFile;
  /** The blobs this download added (the file, its preview), to remove if the fork fails. */
  readonly added: readonly string[];
}

/**
 * Streams each file through the design-files service, as an upload is stored (safe name, type from
 * the bytes, SVG checks, a preview for raster images), cut off at the per-file cap and at what is left
 * of the release cap, then compares its SHA-256 with the one the release declares. One failure
 * removes what this attempt stored and refuses the whole fork, naming the file.
 */
async function downloadAll(deps: ForkImportDeps, files: readonly RemoteFile[]): Promise<Downloaded[]> {
  const done: Downloaded[] = [];
  let total = 0;
  try {
    for (const file of files) {
      const left = deps.releaseMaxBytes - total;
      const maxBytes = Math.min(deps.fileMaxBytes, left);
      const cap = maxBytes === left ? `this node's cap on one release (${formatMegabytes(deps.releaseMaxBytes)})` : `this node's cap on one design file (${formatMegabytes(deps.fileMaxBytes)})`;
      const stream = await deps.network.openFile(file.href).catch((error: unknown) => {
        throw refused(`file ${file.name}: could not be downloaded from ${file.href} (${error instanceof Error ? error.message : String(error)})`);
      });
      const role = FileRoleSchema.safeParse(file.role);
      const { file: stored, added } = await deps.files.receive(stream, file.name, { maxBytes, tooLarge: () => tooLarge(`file ${file.name} is larger than ${cap}`), role: role.success ? role.data : null });
      done.push({ stored, added });
      if (stored.sha256 !== file.sha256) throw refused(`file ${file.name}: its SHA-256 is ${stored.sha256}, not ${file.sha256} as the release declares`);
      total += stored.size;
    }
    return done;
  } catch (error) {
    await removeNewBlobs(deps, done);
    throw error;
  }
}

async function removeNewBlobs(deps: ForkImportDeps, files: readonly Downloaded[]): Promise<void> {
  await deps.files.discardUnreferenced(files.flatMap((f) => f.added)).catch((error: unknown) => logger.warning("Could not remove the blobs of a failed fork: {error}", { error }));
}

/**
 * The Create of the fork goes to the design it was forked from and to every design before it in the
 * chain, so each can list it (its inbox is read from its own document; one that cannot be read now
 * is skipped, with a log line). Committed through the outbox after the fork exists.
 */
async function announce(deps: ForkImportDeps, fork: LocalFork, parent: RemoteDesign): Promise<void> {
  const recipients: OutboxRecipient[] = [recipientOf(parent)];
  for (const link of fork.forkChain.slice(0, -1)) {
    try {
      recipients.push(recipientOf(await deps.network.loadDesign(link.design)));
    } catch (error) {
      logger.warning("The fork {fork} is not announced to {design}: {error}", { fork: fork.iri, design: link.design, error });
    }
  }
  const draft = await deps.network.forkAnnouncement(fork, recipients);
  await commitWithActivities(deps.db, async (_trx, emit) => emit(draft));
}

function recipientOf(design: RemoteDesign): OutboxRecipient {
  return design.sharedInbox === null ? { id: design.iri, inbox: design.inbox } : { id: design.iri, inbox: design.inbox, sharedInbox: design.sharedInbox };
}
