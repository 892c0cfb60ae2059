import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../server/http/app-env.ts";
import { CSRF_FIELD } from "../server/http/csrf.ts";
import { statusOf } from "../server/http/error-status.ts";
import { readMultipartStream } from "../server/http/multipart-stream.ts";
import { assertFileName, fileTooLarge, type ReceivedFile } from "../server/modules/design-files/index.ts";
import { BOM_LINES_MAX, type DesignView, RELEASE_NOTES_MAX, type ReleaseInput, ReleaseInputSchema } from "../server/modules/designs/index.ts";
import { formatMegabytes } from "../server/platform/blob-store/index.ts";
import { badRequest, conflict, DomainError, forbidden } from "../server/platform/errors.ts";
import { textProblem } from "../server/platform/json-bounds.ts";
import { releaseFormValues, releaseInputFromForm } from "./design-form-values.ts";
import type { FieldErrors } from "./pages/account-form.ts";
import type { ReleaseFormValues } from "./pages/release-form-page.ts";

/** Room for part headers and boundaries around the files, as the API's upload allows. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;
/** Every form field: version, notes, two levels, the token, and six per BOM row. */
const MAX_FIELDS = 8 + 6 * BOM_LINES_MAX;

/** The new-release form as read: what was typed, and either the release's input or the errors by field. */
export type ReleaseForm =
  | { readonly ok: true; readonly values: ReleaseFormValues; readonly input: ReleaseInput; readonly files: readonly ReceivedFile[]; readonly added: readonly string[] }
  | { readonly ok: false; readonly values: ReleaseFormValues; readonly status: 409 | 413 | 415 | 422; readonly errors: FieldErrors };

/** The form's fields were refused: carried through the multipart reader, which drains the rest of the body. */
class FormRefusal extends DomainError {
  readonly errors: FieldErrors;
  constructor(errors: FieldErrors) {
    super("invalid_input", "invalid_input", Object.values(errors)[0] ?? "The form has errors.");
    this.errors = errors;
  }
}

/**
 * The new-release form without JavaScript, read as a stream (a release may weigh hundreds of megabytes,
 * more than a page body may): its first field must be the CSRF token, matching the cookie, before anything
 * else is read; the text fields come next (the form lists them before the file input) and are checked
 * against the release schema before any file is stored; each file then streams into the blob store
 * through the design-files service under the file and release caps, as the API's upload does. On a
 * refusal the blobs stored so far that nothing uses are removed.
 */
export async function readReleaseForm(deps: AppDeps, c: Context<AppEnv>, design: DesignView): Promise<ReleaseForm> {
  const { designs, designFiles } = deps.services;
  const { fileMaxBytes, releaseMaxBytes, maxFiles } = designFiles.limits;
  const fields = new Map<string, string>();
  let tokenChecked = false;
  let input: ReleaseInput | undefined;
  const files: ReceivedFile[] = [];
  const added: string[] = [];
  let used = 0;

  const checkFields = async (): Promise<ReleaseInput> => {
    if (input !== undefined) return input;
    const values = releaseFormValues(fields);
    const { input: raw, rowIndex } = releaseInputFromForm(values);
    const parsed = ReleaseInputSchema.safeParse(raw);
    if (!parsed.success) throw new FormRefusal(releaseFieldErrors(parsed.error.issues, rowIndex));
    // A taken version is refused before the files are uploaded for nothing.
    if ((await designs.releases(design.handle)).some((r) => r.version === parsed.data.version)) {
      throw conflict(`version: @${design.handle} already has a release ${parsed.data.version}; a release never changes, publish a new version.`);
    }
    input = parsed.data;
    return input;
  };

  try {
    if (!/^multipart\/form-data\s*;/i.test(c.req.header("content-type") ?? "")) throw new DomainError("unsupported_type", "unsupported_media_type", "Send the form as multipart/form-data.");
    const declared = Number(c.req.header("content-length"));
    if (Number.isFinite(declared) && declared > releaseMaxBytes + MULTIPART_OVERHEAD_BYTES) throw releaseTooLarge(releaseMaxBytes);
    await readMultipartStream(
      c.req.raw,
      {
        field(name, value) {
          if (!tokenChecked) {
            if (name !== CSRF_FIELD || value !== c.get("csrfToken")) throw forbidden("The form expired or came from another site; reload the page and try again.");
            tokenChecked = true;
            return;
          }
          // As the form guard checks every page form's fields.
          const problem = textProblem(name) ?? textProblem(value);
          if (problem !== null) throw badRequest(`The form field ${JSON.stringify(name.slice(0, 40))} ${problem}.`);
          if (input !== undefined) throw badRequest("The form's fields must come before its files.");
          if (!fields.has(name)) fields.set(name, value);
        },
        async file(name, stream, info) {
          if (!tokenChecked) throw forbidden("The form expired or came from another site; reload the page and try again.");
          await checkFields();
          const filename = info.filename ?? "";
          // A file input left empty is sent as a part without a name and without bytes.
          if (name !== "files" || filename === "") {
            stream.resume();
            return;
          }
          if (files.some((f) => f.name === filename)) throw filesProblem(`two files are named ${JSON.stringify(filename.slice(0, 80))}; each name must be different`);
          assertFileName(filename);
          const left = releaseMaxBytes - used;
          const received = await designFiles.receive(stream, filename, {
            maxBytes: Math.min(fileMaxBytes, left),
            tooLarge: () => (left < fileMaxBytes ? releaseTooLarge(releaseMaxBytes) : fileTooLarge(filename, fileMaxBytes)),
          });
          added.push(...received.added);
          used += received.file.size;
          files.push(received.file);
        },
        tooLarge: () => releaseTooLarge(releaseMaxBytes),
        tooMany: (what) => (what === "files" ? filesProblem(`a release may hold at most ${maxFiles} files`) : badRequest("The form has more fields than it shows.")),
      },
      { files: maxFiles + 1, fields: MAX_FIELDS, fieldBytes: RELEASE_NOTES_MAX * 4, bodyBytes: releaseMaxBytes + MULTIPART_OVERHEAD_BYTES },
    );
    if (!tokenChecked) throw forbidden("The form expired or came from another site; reload the page and try again.");
    return { ok: true, values: releaseFormValues(fields), input: await checkFields(), files, added };
  } catch (error) {
    await designFiles.discardUnreferenced(added);
    const values = releaseFormValues(fields);
    if (error instanceof FormRefusal) return { ok: false, values, status: 422, errors: error.errors };
    const refused = formRefusal(error);
    if (refused === undefined) throw error;
    return { ok: false, values, ...refused };
  }
}

/** A refusal the form shows on a field (files, version), else undefined and the error page shows it. */
function formRefusal(error: unknown): { status: 409 | 413 | 415 | 422; errors: FieldErrors } | undefined {
  if (!(error instanceof DomainError)) return undefined;
  const status = statusOf(error);
  if (status !== 409 && status !== 413 && status !== 415 && status !== 422) return undefined;
  const field = error.issues?.[0]?.path.split(".")[0] ?? (/^(version|files): /.exec(error.message)?.[1] ?? "files");
  return { status, errors: { [field]: error.message.replace(/^(version|files): /, "") } };
}

function filesProblem(message: string): DomainError {
  return new DomainError("invalid_input", "invalid_input", `files: ${message}.`, [{ path: "files", message }]);
}

function releaseTooLarge(cap: number): DomainError {
  return new DomainError("too_large", "release_too_large", `files: the release is larger than ${formatMegabytes(cap)}, the most one release may weigh.`);
}

/** zod issues as messages by field; a BOM issue names its input (bomQuantity2) as shown in the form, where empty rows still count. */
export function releaseFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], rowIndex: readonly number[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const [first, row, column] = issue.path.map(String);
    const field = first === "bom" && row !== undefined && column !== undefined ? `bom${column[0]!.toUpperCase()}${column.slice(1)}${rowIndex[Number(row)] ?? row}` : (first ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}
