import { z } from "zod";

/** File systems (ext4, APFS, NTFS) cap a name at 255 bytes; a longer one could not be saved by whoever downloads it. */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * The name of a file in a release: one path segment a downloader can save as is. It is only ever a label
 * (the bytes live under their hash), but it becomes part of a URL and of a Content-Disposition header and an
 * entry in the release's zip, where `../`, a drive or absolute path, or a control character would be a
 * path-traversal ("zip slip") or header-injection risk on someone else's machine.
 */
export const ReleaseFileNameSchema = z
  .string({ error: "must be a file name" })
  .superRefine((name, ctx) => {
    const problem = fileNameProblem(name);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

/** What is wrong with a file name, in words, or null when it is fine. */
export function fileNameProblem(name: string): string | null {
  if (name.length === 0) return "must not be empty";
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_FILE_NAME_BYTES) return `is ${bytes} bytes long; a file name may have at most ${MAX_FILE_NAME_BYTES}`;
  if (name.includes("\0")) return "contains a NUL character";
  // C0 and C1 controls, DEL, and the bidirectional overrides that disguise an extension (U+202E "exe.txt").
  if (/[\u0001-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(name)) return "contains a control character";
  if (/\p{Cs}/u.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))) return "contains an unpaired surrogate";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "is an absolute path; send the file's name only";
  if (name.includes("/") || name.includes("\\")) return "contains a path separator (/ or \\); send the file's name only";
  if (name === "." || name === ".." || name.startsWith("..")) return "starts with '..'; send the file's name only";
  if (name.trim() !== name) return "starts or ends with a space";
  return null;
}
