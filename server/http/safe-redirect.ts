/**
 * Where to send a browser after signing in: only a path on this node (docs/security.md#web, WEB-08).
 * `//evil.example`, `/\evil.example`, absolute URLs and their percent-encoded forms
 * (`/%2F%2Fevil.example`, Mastodon CVE-2026-33868) all fall back to the front page. Checked before
 * and after decoding, since browsers and proxies decode at different points.
 */
export function safeRedirectPath(next: unknown, publicUrl: URL): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return "/";
  const forms = [next];
  let decoded = next;
  for (let i = 0; i < 3; i++) {
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      return "/";
    }
    if (once === decoded) break;
    forms.push(once);
    decoded = once;
  }
  for (const form of forms) {
    if (!form.startsWith("/") || form.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(form)) return "/";
  }
  const url = new URL(next, publicUrl);
  if (url.origin !== publicUrl.origin) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
