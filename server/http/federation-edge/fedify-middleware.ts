import type { Federation } from "@fedify/fedify";
import type { Context as HonoContext, MiddlewareHandler } from "hono";

/**
 * Hands requests to Fedify first; what Fedify does not serve (or serves only as ActivityPub, when the
 * client wants HTML) falls through to the Hono routes on the same path. There is no @fedify/hono on
 * the registry (docs/stack.md#fedify), and this is all it does, besides showing Fedify each request
 * at the node's public origin (see `atPublicOrigin`).
 */
export function fedifyMiddleware<T>(federation: Federation<T>, publicOrigin: string, contextData: (c: HonoContext) => T): MiddlewareHandler {
  return async (c, next) =>
    await federation
      .fetch(atPublicOrigin(c.req.raw, publicOrigin), {
        contextData: contextData(c),
        onNotFound: async () => {
          await next();
          return c.res;
        },
        onNotAcceptable: async () => {
          await next();
          if (c.res.status !== 404) return c.res;
          return new Response("Not acceptable: this resource is available as ActivityPub JSON only.", {
            status: 406,
            headers: { "Content-Type": "text/plain; charset=utf-8", Vary: "Accept" },
          });
        },
      })
      .catch((error: unknown) => {
        const context = unloadableContext(error);
        if (context !== null) {
          return c.json({ error: "bad_request", message: `The activity's JSON-LD context ${context} could not be loaded, so the activity cannot be read.` }, 400);
        }
        if (c.req.method === "POST" && thrownByVocabularyParser(error)) {
          return c.json({ error: "bad_request", message: `A property of the activity has a value of the wrong type (${error.message}).` }, 400);
        }
        throw error;
      });
}

/**
 * A TypeError or RangeError raised while @fedify/vocab read an inbound activity (by the vocabulary's
 * parser or the Temporal parsing it calls): a value of a type the vocabulary does not expect (a
 * number where a date belongs, under a term the activity's own inline context renamed, so
 * temporal-literals.ts cannot see it by name). Fedify rethrows what it does not recognise as a parse
 * error, which would be a 500.
 */
function thrownByVocabularyParser(error: unknown): error is Error {
  if (!(error instanceof TypeError || error instanceof RangeError)) return false;
  return (error.stack ?? "").includes("/@fedify/vocab/");
}

/**
 * The URL of the remote JSON-LD context that stopped Fedify from reading an inbound activity
 * (JSON-LD 1.1 API §9.4.2: "loading remote context failed", "invalid remote context", "context overflow"),
 * or null for any other error. Fedify rethrows this failure as possibly transient, which would be a
 * 500 and days of retries by the sender; the sender chose a context this node cannot load, so it is
 * told so with a 400 instead.
 */
function unloadableContext(error: unknown): string | null {
  if (!(error instanceof Error) || !error.name.startsWith("jsonld.")) return null;
  const details = (error as { details?: { code?: unknown; url?: unknown } }).details;
  if (!["loading remote context failed", "invalid remote context", "context overflow"].includes(String(details?.code))) return null;
  return typeof details?.url === "string" ? details.url : "(unnamed)";
}

/**
 * The request as its sender addressed it. Behind a TLS proxy Node sees `http://` (and maybe another
 * host), while an RFC 9421 signature covers the URL the sender used (`@target-uri`, `@authority`,
 * RFC 9421 §2.2), https and all: verified against Node's view, every such signature would fail and
 * each sender would have to retry with draft-cavage. The node serves one origin, its PUBLIC_URL, so
 * that is the URL every request was meant for. Headers (Host included) and body are passed as they
 * came, so draft-cavage signatures and digests check the bytes that were signed.
 */
export function atPublicOrigin(request: Request, publicOrigin: string): Request {
  const url = new URL(request.url);
  if (url.origin === publicOrigin) return request;
  const rewritten = new URL(`${url.pathname}${url.search}`, publicOrigin);
  return new Request(rewritten, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    redirect: request.redirect,
    // A streamed body must say so (fetch spec, "duplex"); Node's undici requires it.
    ...(request.body === null ? {} : { duplex: "half" }),
  } as RequestInit);
}
