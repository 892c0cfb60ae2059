import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/**
 * The address of the client, from the socket (@hono/node-server passes the Node request as
 * `c.env.incoming`). X-Forwarded-For is trusted only with TRUST_PROXY=true: without a proxy anyone
 * can forge it, which would let a guesser rotate "addresses" past the login limit. Behind one proxy,
 * the rightmost entry is the address the proxy saw, the only one it vouches for.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").map((a) => a.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded.startsWith("::ffff:") ? forwarded.slice(7) : forwarded;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const address = incoming?.socket?.remoteAddress;
  if (!address) return "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
