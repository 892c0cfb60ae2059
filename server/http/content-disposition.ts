/**
 * A Content-Disposition value (RFC 6266) naming the file: `filename*` carries the name in UTF-8 (RFC 8187),
 * `filename` an ASCII stand-in for old clients. Quotes, backslashes and anything outside printable ASCII
 * are replaced in the stand-in, so a name can never end the header or add a parameter.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** RFC 8187 §3.2.1: attr-char stays, every other UTF-8 byte is percent-encoded. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
