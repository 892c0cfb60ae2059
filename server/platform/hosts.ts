/**
 * Host names as the node compares them: a charter's allow and block lists, peers, directory origins.
 * Spelling must not matter, or a peer sidesteps a block by writing its host another way: case,
 * Unicode versus punycode (IDNA, RFC 5891), a trailing root dot (`localhost.`, RFC 1034 §3.1), a
 * port, IPv4 written in hex or IPv6 in another form. The WHATWG URL host parser does the IDNA and IP
 * canonicalisation (node's `url.domainToASCII` is the same algorithm); this file only adds what it
 * leaves: the port and the root dot. As Mastodon's DomainBlock, a port never makes a host another
 * domain (app/models/domain_block.rb normalises with `normalized_host`, which has no port).
 */

/** Characters that would make `http://${value}/` a URL with more than a host in it. */
const NOT_A_HOST = /[\s/?#@\\]/;

/**
 * The canonical host of a URL or of a bare host (optionally with `:port`): lower case, ASCII
 * (punycode), without port or trailing dot, IPv6 in brackets in its shortest form. Null when the
 * value is no host at all (empty, a path, credentials).
 */
export function canonicalHost(value: string | URL): string | null {
  let hostname: string;
  if (value instanceof URL) hostname = value.hostname;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    if (!URL.canParse(value)) return null;
    hostname = new URL(value).hostname;
  } else {
    const bare = value.trim();
    if (bare === "" || NOT_A_HOST.test(bare) || !URL.canParse(`http://${bare}/`)) return null;
    hostname = new URL(`http://${bare}/`).hostname;
  }
  const host = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  return host === "" ? null : host;
}

/** IP literals name one machine: they match exactly, never as a parent domain. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether `host` is `domain` or one of its subdomains, both canonicalised first: a block of
 * `example.com` also blocks `a.example.com`, as Mastodon's DomainBlock.rule_for checks every parent
 * domain of a host. Unparseable values match nothing.
 */
export function isHostWithin(host: string | URL, domain: string): boolean {
  const h = canonicalHost(host);
  const d = canonicalHost(domain);
  if (h === null || d === null) return false;
  if (h === d) return true;
  return !isIpLiteral(d) && !isIpLiteral(h) && h.endsWith(`.${d}`);
}

/** Whether two spellings name the same host (port and trailing dot ignored). */
export function isSameHost(a: string | URL, b: string | URL): boolean {
  const x = canonicalHost(a);
  return x !== null && x === canonicalHost(b);
}

/** The canonical forms of a list of hosts, without the ones that are no host and without repeats. */
export function canonicalHosts(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((value) => canonicalHost(value) ?? []))];
}
