import { createReadStream } from "node:fs";

/**
 * What makes an SVG unsafe to hand out: it can run script or load other resources when a browser opens it
 * (SVG 2, https://www.w3.org/TR/SVG2/interact.html and linking.html; OWASP's XSS prevention cheat sheet lists
 * the same vectors). An SVG is never served inline here, but it is downloaded, opened from disk, embedded
 * by other sites and copied into forks, so one that needs any of these is refused rather than stored. Each
 * rule names what it found.
 */
const RULES: readonly { readonly pattern: RegExp; readonly found: (match: RegExpExecArray) => string | null }[] = [
  { pattern: /<([\w.-]+:)?script\b/i, found: () => "a <script> element" },
  { pattern: /<([\w.-]+:)?foreignObject\b/i, found: () => "a <foreignObject> element" },
  { pattern: /<([\w.-]+:)?(iframe|embed|object)\b/i, found: (m) => `an <${m[2]!.toLowerCase()}> element` },
  { pattern: /[\s"'/]on[a-z]+\s*=/i, found: (m) => `an event handler attribute (${m[0].slice(1).replace(/\s*=$/, "")})` },
  { pattern: /javascript\s*:/i, found: () => "a javascript: URL" },
  { pattern: /<!ENTITY\b/i, found: () => "an XML entity declaration" },
  { pattern: /@import\b/i, found: () => "a CSS @import" },
  {
    // href and xlink:href may only point inside the document (`#id`): anything else loads or links out.
    pattern: /\b(?:[\w.-]+:)?href\s*=\s*(["'])\s*([^"']*)/gi,
    found: (m) => (m[2]!.startsWith("#") ? null : `an external reference (href="${m[2]!.slice(0, 60)}")`),
  },
  {
    pattern: /url\(\s*(["']?)\s*([^)"']*)/gi,
    found: (m) => (m[2]!.startsWith("#") ? null : `an external reference (url(${m[2]!.slice(0, 60)}))`),
  },
];

/** Long enough for any of the patterns above to straddle two chunks and still be seen whole. */
const OVERLAP = 512;

/** What unsafe content the SVG holds, in words, or null. Read as a stream: an SVG may be as large as any file. */
export async function svgProblem(path: string): Promise<string | null> {
  const decoder = new TextDecoder("utf-8");
  let carry = "";
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const text = carry + decoder.decode(chunk as Buffer, { stream: true });
    const problem = problemIn(text);
    if (problem !== null) return problem;
    carry = text.slice(-OVERLAP);
  }
  return problemIn(carry + decoder.decode());
}

export function problemIn(text: string): string | null {
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    if (!rule.pattern.global) {
      const match = rule.pattern.exec(text);
      if (match !== null) return rule.found(match);
      continue;
    }
    for (const match of text.matchAll(rule.pattern)) {
      const found = rule.found(match as RegExpExecArray);
      if (found !== null) return found;
    }
  }
  return null;
}
