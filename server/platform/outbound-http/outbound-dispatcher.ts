import { AsyncLocalStorage } from "node:async_hooks";
import { getLogger } from "@logtape/logtape";
import { Agent, Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import type { AddressPolicy } from "./address-policy.ts";
import { createGuardedConnector } from "./guarded-connector.ts";

const logger = getLogger(["commonsnet", "outbound-http"]);

/** How long a TCP (and TLS) connection may take to open; a peer slower than this is down for us. */
const CONNECT_TIMEOUT_MS = 10_000;

const agents = new WeakMap<AddressPolicy, Dispatcher>();

/**
 * The HTTP agent for a policy: every connection it opens goes through the guarded connector, and a
 * request with a body (a delivery) never follows a redirect. One agent per policy, so a connection
 * opened under a looser policy is never reused under a stricter one.
 */
export function dispatcherFor(policy: AddressPolicy): Dispatcher {
  let agent = agents.get(policy);
  if (agent === undefined) {
    agent = new NoRedirectOnPost(new Agent({ connect: createGuardedConnector(policy, { timeoutMs: CONNECT_TIMEOUT_MS }) }));
    agents.set(policy, agent);
  }
  return agent;
}

/**
 * Hides the Location of a 3xx answer to a POST, so neither fetch nor Fedify's double-knock (which
 * re-signs for the new URL) follows it: a followed redirect re-sends the signed activity wherever
 * the peer points, loopback paths included. A delivery goes to the inbox the actor document names
 * or nowhere; the delivery fails with the 3xx status. (Mastodon's client follows 307/308 on POST
 * and re-checks each hop's address, app/lib/request.rb; not following is the stricter choice.)
 */
class NoRedirectOnPost extends Dispatcher {
  readonly #inner: Dispatcher;
  constructor(inner: Dispatcher) {
    super();
    this.#inner = inner;
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    if (options.method === "GET" || options.method === "HEAD") return this.#inner.dispatch(options, handler);
    const where = `${String(options.origin ?? "")}${options.path}`;
    const guarded = new Proxy(handler, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (prop === "onHeaders" && typeof value === "function") {
          return (status: number, rawHeaders: Buffer[], resume: () => void, statusText: string) => {
            const headers = status >= 300 && status < 400 ? withoutLocation(rawHeaders, where) : rawHeaders;
            return (value as Function).call(target, status, headers, resume, statusText);
          };
        }
        return typeof value === "function" ? (value as Function).bind(target) : value;
      },
    });
    return this.#inner.dispatch(options, guarded);
  }
  override close(): Promise<void> {
    return this.#inner.close();
  }
  override destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function withoutLocation(rawHeaders: Buffer[], where: string): Buffer[] {
  const kept: Buffer[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toString("latin1").toLowerCase() === "location") {
      logger.warning("Did not follow the redirect of a POST to {where} (to {location})", { where, location: rawHeaders[i + 1]!.toString("latin1") });
      continue;
    }
    kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

const scope = new AsyncLocalStorage<AddressPolicy>();
let processDefault: AddressPolicy | undefined;

/**
 * Runs `work` with `policy` governing every fetch it makes through the global fetch, which is how
 * Fedify delivers activities and looks up WebFinger (it takes no agent of ours). Several nodes in
 * one process (tests) each keep their own policy this way.
 */
export function withOutboundPolicy<T>(policy: AddressPolicy, work: () => T): T {
  installOutboundDispatcher();
  return scope.run(policy, work);
}

/** The policy for fetches outside any node's scope; the process entry sets its node's. */
export function setDefaultOutboundPolicy(policy: AddressPolicy): void {
  installOutboundDispatcher();
  processDefault = policy;
}

let installed = false;

/** Replaces the global fetch's agent with one that applies the policy in scope (idempotent). */
export function installOutboundDispatcher(): void {
  if (installed) return;
  installed = true;
  const unguarded = getGlobalDispatcher();
  setGlobalDispatcher(new PolicyRouter(unguarded));
}

class PolicyRouter extends Dispatcher {
  readonly #unguarded: Dispatcher;
  constructor(unguarded: Dispatcher) {
    super();
    this.#unguarded = unguarded;
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const policy = scope.getStore() ?? processDefault;
    return (policy === undefined ? this.#unguarded : dispatcherFor(policy)).dispatch(options, handler);
  }
  override close(): Promise<void> {
    return Promise.resolve();
  }
  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
