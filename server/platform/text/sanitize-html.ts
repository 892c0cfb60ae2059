import sanitize from "sanitize-html";

/**
 * Mastodon's HTML allowlist (lib/sanitize_ext/sanitize_config.rb, docs/mastodon.md#html): what we
 * store and show from remote servers, and what our own Markdown may produce. Headings become bold
 * paragraphs, links keep only web-ish schemes and get rel="nofollow noopener noreferrer ugc", and
 * everything else (img, table, script, style, iframe, svg, math, embed…) is dropped, keeping text.
 */
const ALLOWED_TAGS = ["p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em", "ul", "ol", "li", "ruby", "rt", "rp"];
const ALLOWED_SCHEMES = ["http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini"];
const KEPT_CLASS = /^(?:(?:h|p|u|dt|e)-[\w-]+|mention|hashtag|ellipsis|invisible|quote-inline)$/;
/** Elements whose content is not text a reader should see. */
const DROPPED_WITH_CONTENT = ["script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "textarea", "select", "title", "head"];

const OPTIONS: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    "*": ["lang"],
    a: ["href", "rel", "class", "translate"],
    span: ["class", "translate"],
    p: ["class"],
    ol: ["start", "reversed"],
    li: ["value"],
  },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  nonTextTags: DROPPED_WITH_CONTENT,
  disallowedTagsMode: "discard",
  transformTags: {
    h1: "strongParagraph",
    h2: "strongParagraph",
    h3: "strongParagraph",
    h4: "strongParagraph",
    h5: "strongParagraph",
    h6: "strongParagraph",
    a: (tagName, attribs) => {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec((attribs.href ?? "").trim())?.[1]?.toLowerCase();
      // Relative links mean nothing on another server and javascript:/data: are unsafe: Mastodon
      // keeps their text only.
      if (scheme === undefined || !ALLOWED_SCHEMES.includes(scheme)) return { tagName: "span", attribs: {} };
      return { tagName, attribs: { ...attribs, rel: "nofollow noopener noreferrer ugc" } };
    },
  },
  allowedClasses: { "*": [KEPT_CLASS] as unknown as string[] },
};

/** Sanitises remote or rendered HTML to the allowlist. Bounded work: input is cut at 256 KiB. */
export function sanitizeHtml(html: string): string {
  const input = html.length > 262_144 ? html.slice(0, 262_144) : html;
  const withHeadings = input.replace(/<(\/?)h[1-6]\b[^>]*>/gi, (_m, close: string) => (close ? "</strong></p>" : "<p><strong>"));
  return sanitize(withHeadings, OPTIONS).trim();
}

/** Plain text from HTML, for places that show text only (titles, notifications, summaries). */
export function htmlToText(html: string): string {
  return sanitize(html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p>/gi, "\n\n"), { allowedTags: [], allowedAttributes: {}, nonTextTags: DROPPED_WITH_CONTENT })
    .replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
