import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { buildConnector } from "undici";
import type { AddressPolicy } from "./address-policy.ts";

/** A connection the address policy forbids; it is refused before any packet leaves. */
export class AddressRefusedError extends Error {
  readonly host: string;
  readonly address: string;
  readonly code = "ADDRESS_REFUSED";
  constructor(host: string, address: string) {
    super(host === address ? `${address} is not a public address` : `${host} resolves to ${address}, which is not a public address`);
    this.name = "AddressRefusedError";
    this.host = host;
    this.address = address;
  }
}

/** Whether `error` (or what caused it: fetch wraps connect errors in a TypeError) is a refusal. */
export function findAddressRefusal(error: unknown): AddressRefusedError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof AddressRefusedError) return e;
  }
  return undefined;
}

/**
 * A DNS lookup that refuses a host when any of its addresses is outside the policy. It is the
 * lookup of the socket itself, so the address checked is the address connected to: a name cannot
 * resolve to a public address for a check and to a private one for the fetch (DNS rebinding), as
 * Mastodon checks in its socket class (app/lib/request.rb, `Request::Socket.open`). Mastodon skips
 * a private address and tries the next; here a name with any refused address is refused, since a
 * name mixing public and private addresses is a misconfiguration or a bet on the private one.
 */
export function createGuardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const opts: LookupOptions = typeof options === "object" && options !== null ? options : {};
    dns.lookup(hostname, { ...opts, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return (callback as (e: Error) => void)(error);
      const refused = addresses.find((a) => !policy.permits(a.address));
      if (refused !== undefined) return (callback as (e: Error) => void)(new AddressRefusedError(hostname, refused.address));
      if (opts.all === true) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (first === undefined) return (callback as (e: Error) => void)(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }));
      return callback(null, first.address, first.family);
    });
  };
}

type Connector = ReturnType<typeof buildConnector>;

/**
 * undici's connector with the guarded lookup. A URL with an IP literal never reaches a lookup
 * (net.connect skips it), so literals are checked here before connecting.
 */
export function createGuardedConnector(policy: AddressPolicy, options: { readonly timeoutMs: number }): Connector {
  const connect = buildConnector({ lookup: createGuardedLookup(policy), timeout: options.timeoutMs });
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) !== 0 && !policy.permits(host)) {
      callback(new AddressRefusedError(host, host), null);
      return;
    }
    connect(opts, callback);
  };
}
