/** The longest entry name a ZIP header can hold (a 16-bit length, APPNOTE 4.4.10), in bytes of UTF-8. */
const NAME_MAX_BYTES = 0xffff;

/**
 * An entry name as APPNOTE 4.4.17 wants it: relative, forward slashes, no drive letter. Anything an
 * unzip could resolve outside its target folder (`..`, an absolute path, a backslash that Windows
 * tools read as a separator, NUL) is refused rather than rewritten, so no archive we write can
 * "zip-slip" (CVE-2018-1002200 and its kin).
 */
export function checkedEntryName(name: string): Buffer {
  const reason = unsafeReason(name);
  if (reason !== undefined) throw new Error(`zip entry name ${JSON.stringify(name.slice(0, 80))} ${reason}`);
  const bytes = Buffer.from(name, "utf8");
  if (bytes.length > NAME_MAX_BYTES) throw new Error(`zip entry name is longer than ${NAME_MAX_BYTES} bytes`);
  return bytes;
}

function unsafeReason(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (/[\u0000-\u001f\u007f\\]/.test(name)) return "contains a control character or a backslash";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "is absolute";
  if (name.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) return "has an empty, . or .. segment";
  if (!name.isWellFormed()) return "is not valid Unicode";
  return undefined;
}
