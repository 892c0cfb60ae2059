import type { AppDeps } from "../server/http/app-env.ts";
import { formatMegabytes } from "../server/platform/blob-store/index.ts";
import { DomainError } from "../server/platform/errors.ts";
import type { StoredReleaseFile } from "../server/modules/designs/index.ts";
import { MAX_RELEASE_FILES } from "../server/modules/design-files/index.ts";
import type { FieldErrors } from "./pages/account-form.ts";

/**
 * The new-release form without JavaScript: the files it posted, stored through the design-files service
 * (the same checks as the API's upload: safe names, caps, types from bytes, previews), handed to `publish`.
 * When anything is refused or publishing fails, the blobs this upload added are removed again, so
 * nothing half-stored stays behind.
 */
export async function withFormFiles<T>(deps: AppDeps, entries: readonly (string | File)[], publish: (files: StoredReleaseFile[]) => Promise<T>): Promise<T> {
  const { designFiles } = deps.services;
  const chosen = entries.filter((e): e is File => typeof e !== "string" && e.size > 0);
  if (chosen.length > MAX_RELEASE_FILES) throw filesProblem(`a release holds at most ${MAX_RELEASE_FILES} files`);
  const names = new Set<string>();
  for (const file of chosen) {
    if (names.has(file.name)) throw filesProblem(`two files are named ${JSON.stringify(file.name)}; each name must be different`);
    names.add(file.name);
  }
  const releaseMax = designFiles.limits.releaseMaxBytes;
  const added: string[] = [];
  const stored: StoredReleaseFile[] = [];
  let used = 0;
  try {
    for (const file of chosen) {
      const received = await designFiles.receive(file.stream(), file.name, {
        maxBytes: releaseMax - used,
        // Which cap applied: the file's own, or what the release had left.
        tooLarge: (cap) => (cap < designFiles.limits.fileMaxBytes ? releaseTooLarge(releaseMax) : new DomainError("too_large", "file_too_large", `files: ${JSON.stringify(file.name)} is larger than ${formatMegabytes(cap)}, the most one file of a release may weigh.`)),
      });
      added.push(...received.added);
      stored.push(received.file);
      used += received.file.size;
    }
    return await publish(stored);
  } catch (error) {
    await designFiles.discardUnreferenced(added);
    throw error;
  }
}

function filesProblem(message: string): DomainError {
  return new DomainError("invalid_input", "invalid_input", `files: ${message}.`, [{ path: "files", message }]);
}

function releaseTooLarge(cap: number): DomainError {
  return new DomainError("too_large", "release_too_large", `files: the release's files together are larger than ${formatMegabytes(cap)}.`, [{ path: "files", message: `together larger than ${formatMegabytes(cap)}` }]);
}

/** A refused file as the form's message on its files field. */
export function releaseUploadErrors(error: unknown): { status: 413 | 415 | 422; errors: FieldErrors } | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const onFiles = error.issues?.[0]?.path === "files" || error.message.startsWith("files: ");
  if (!onFiles) return undefined;
  const status = error.kind === "too_large" ? 413 : error.kind === "unsupported_type" ? 415 : 422;
  return { status, errors: { files: error.message.replace(/^files: /, "") } };
}
