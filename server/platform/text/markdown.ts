import MarkdownIt from "markdown-it";
import { sanitizeHtml } from "./sanitize-html.ts";

/**
 * Markdown written by members (project summaries, updates) as the HTML Mastodon displays: raw HTML is
 * off (it shows as text), bare URLs become links, single newlines become <br> (Mastodon ignores
 * newline characters, docs/mastodon.md#html), and the result goes through the same allowlist as
 * remote HTML, so headings become bold paragraphs and rules disappear.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
  // Tables and inline images cannot be shown on Mastodon: keep tables as text and images as links.
  .disable(["table", "image"]);

export interface RenderedMarkdown {
  readonly html: string;
  /** Normalised names (no `#`) of the hashtags linked in the text, in order of first use. */
  readonly hashtags: readonly string[];
}

export const MAX_HASHTAG_LENGTH = 100;

/**
 * A hashtag as Mastodon normalises it (app/lib/hashtag_normalizer.rb):
 * NFKC, lowercase, accents folded, everything but letters, digits and `_` removed (so `open-source`
 * is `opensource`); null when nothing with a letter remains (`#2026` is not a hashtag).
 */
export function normalizeHashtag(raw: string): string | null {
  const folded = raw
    .replace(/^#+/, "")
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}_]/gu, "");
  if (folded.length === 0 || folded.length > MAX_HASHTAG_LENGTH || !/\p{L}/u.test(folded)) return null;
  return folded;
}

/** Renders Markdown to allowlisted HTML and links its hashtags to `<tagBaseUrl>/<tag>`. */
export function renderMarkdown(source: string, options: { readonly tagBaseUrl: URL }): RenderedMarkdown {
  const rendered = markdown.render(source).replace(/<br>\n/g, "<br>").replace(/>\n+</g, "><").trim();
  return linkHashtags(sanitizeHtml(rendered), options.tagBaseUrl);
}

/** Hashtag in text: `#` after a non-word character, then word characters including a letter. */
const HASHTAG = /(^|[^\p{L}\p{N}_&/)#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;
/** Elements whose text is not linked: links already, and code. */
const NO_LINK = new Set(["a", "code", "pre"]);

/**
 * Links hashtags in text nodes of sanitised HTML as Mastodon formats them (app/lib/text_formatter.rb):
 * `<a href="…/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a>`. The input comes from the
 * sanitiser, so tags are well formed and text is escaped; splitting on tags is exact.
 */
function linkHashtags(html: string, tagBaseUrl: URL): RenderedMarkdown {
  const hashtags: string[] = [];
  let skipDepth = 0;
  const parts = html.split(/(<[^>]*>)/);
  const out = parts.map((part) => {
    if (part.startsWith("<")) {
      const match = /^<(\/?)([a-z0-9]+)/i.exec(part);
      if (match && NO_LINK.has(match[2]!.toLowerCase())) skipDepth += match[1] ? -1 : 1;
      return part;
    }
    if (skipDepth > 0 || !part.includes("#")) return part;
    return part.replace(HASHTAG, (whole, before: string, name: string) => {
      const tag = normalizeHashtag(name);
      if (tag === null) return whole;
      if (!hashtags.includes(tag)) hashtags.push(tag);
      return `${before}${hashtagAnchor(tag, name, tagBaseUrl)}`;
    });
  });
  return { html: out.join(""), hashtags };
}

function hashtagAnchor(tag: string, shown: string, tagBaseUrl: URL): string {
  const href = tagUrl(tagBaseUrl, tag);
  return `<a href="${escapeAttribute(href)}" class="mention hashtag" rel="tag">#<span>${shown}</span></a>`;
}

/** The page of a hashtag on this node. */
export function tagUrl(tagBaseUrl: URL, tag: string): string {
  const base = tagBaseUrl.href.endsWith("/") ? tagBaseUrl.href : `${tagBaseUrl.href}/`;
  return `${base}${encodeURIComponent(tag)}`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The hashtags linked in HTML that renderMarkdown produced, normalised, in order of first use. */
export function hashtagsInHtml(html: string): string[] {
  const tags: string[] = [];
  for (const match of html.matchAll(/<a href="[^"]*" class="mention hashtag" rel="tag">#<span>([^<]*)<\/span><\/a>/g)) {
    const tag = normalizeHashtag(match[1]!);
    if (tag !== null && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}
