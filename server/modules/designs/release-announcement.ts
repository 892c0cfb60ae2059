import { htmlToText } from "../../platform/text/sanitize-html.ts";
import type { DesignView, ReleaseView } from "./design-view.ts";

/** How much of the notes (or the summary) the announcement quotes. */
const EXCERPT_MAX = 400;

/** The Note that tells a design's followers about a release: its text as Markdown-ish source and as HTML. */
export interface ReleaseAnnouncement {
  /** The note's id, which is the release's id: the Note and the release it announces are found from each other. */
  readonly id: string;
  readonly contentSource: string;
  readonly contentHtml: string;
  readonly publishedAt: Date;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function excerpt(html: string): string {
  const text = htmlToText(html).replace(/\s+/g, " ").trim();
  return text.length <= EXCERPT_MAX ? text : `${text.slice(0, EXCERPT_MAX - 1).trimEnd()}…`;
}

/**
 * "<name> <version> released", an excerpt of the notes (else of the design's summary) and a link to
 * the release page. Plain paragraphs and one link: what Mastodon keeps of a Note's HTML
 * (lib/sanitize_ext/sanitize_config.rb), so the home timeline shows it as written.
 */
export function releaseAnnouncement(design: DesignView, release: ReleaseView): ReleaseAnnouncement {
  const headline = `${design.name} ${release.version} released`;
  const quoted = excerpt(release.notesHtml) || excerpt(design.summaryHtml);
  const paragraphs = [`<p>${escapeHtml(headline)}</p>`];
  if (quoted !== "") paragraphs.push(`<p>${escapeHtml(quoted)}</p>`);
  paragraphs.push(`<p><a href="${escapeHtml(release.url)}">${escapeHtml(release.url)}</a></p>`);
  return {
    id: release.id,
    contentSource: [headline, quoted, release.url].filter((line) => line !== "").join("\n\n"),
    contentHtml: paragraphs.join(""),
    publishedAt: release.publishedAt,
  };
}
