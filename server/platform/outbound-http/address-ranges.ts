import { BlockList, isIP } from "node:net";
import { z } from "zod";

/**
 * Address blocks that are not on the public internet, from IANA's special-purpose address registries
 * (RFC 6890 and its updates). Each is a class a past SSRF fix had to add (Fedify CVE-2026-50131,
 * Mastodon CVE-2026-46348 for `::`, CVE-2026-47389 for IPv4-mapped IPv6): loopback, RFC 1918,
 * link-local (169.254.169.254 answers cloud metadata), CGNAT, documentation, benchmarking, multicast,
 * reserved, unspecified, and the IPv6 ones that embed or tunnel IPv4 (NAT64, 6to4, Teredo).
 */
export const NON_PUBLIC_RANGES: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/96",
  "::1/128",
  "::ffff:0:0/96",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "100::/64",
  "2001::/23",
  "2001:db8::/32",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
];

export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: "ipv4" | "ipv6";
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (`192.168.1.5` means /32). Null when malformed. */
export function parseCidr(value: string): Cidr | null {
  const [address = "", prefixText, ...rest] = value.trim().split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** One CIDR range as configured; the message says what a valid one looks like. */
export const CidrSchema = z
  .string()
  .trim()
  .refine((v) => parseCidr(v) !== null, { error: (issue) => `'${String(issue.input)}' is not an IP range (expected e.g. 127.0.0.0/8 or fd00::/8)` });

/** A set of ranges that answers "is this address inside?". */
export interface RangeSet {
  has(address: string): boolean;
}

/**
 * IPv4 and IPv6 ranges are kept apart because node:net's BlockList matches an IPv4 address against
 * `::ffff:0:0/96` and `::/96` entries; an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) still
 * matches its IPv4 range, which BlockList does on its own.
 */
export function rangeSet(ranges: readonly string[]): RangeSet {
  const v4 = new BlockList();
  const v6 = new BlockList();
  for (const range of ranges) {
    const cidr = parseCidr(range);
    if (cidr === null) throw new Error(`Not an IP range: ${range}`);
    (cidr.family === "ipv4" ? v4 : v6).addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return {
    has(address) {
      const version = isIP(address);
      if (version === 4) return v4.check(address, "ipv4");
      return version === 6 && (v6.check(address, "ipv6") || v4.check(address, "ipv6"));
    },
  };
}

const nonPublic = rangeSet(NON_PUBLIC_RANGES);

/** True for an address on the public internet; false for the special-purpose blocks above or a non-address. */
export function isPublicAddress(address: string): boolean {
  return isIP(address) !== 0 && !nonPublic.has(address);
}
