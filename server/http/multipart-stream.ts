import { Readable } from "node:stream";
import busboy from "busboy";
import { badRequest, DomainError } from "../platform/errors.ts";

export interface MultipartLimits {
  readonly files: number;
  /** Text fields (not files) and the bytes each may hold. */
  readonly fields: number;
  readonly fieldBytes: number;
  /** The whole body may be at most this long; past it the connection is given up. */
  readonly bodyBytes: number;
}

export interface MultipartHandlers {
  field(name: string, value: string): void | Promise<void>;
  /** Must read `stream` to its end, or throw; a refused file's remaining bytes are drained here. */
  file(name: string, stream: Readable, info: { filename: string | undefined; mimeType: string }): Promise<void>;
  /** Named limits were passed: e.g. more files than allowed. */
  tooMany(what: "files" | "fields"): DomainError;
  /** The refusal when the body passes `bodyBytes`. */
  tooLarge(): DomainError;
}

/**
 * Reads a multipart/form-data body part by part, in order, handing each file to its handler as a stream so
 * that nothing is held whole (busboy parses as bytes arrive; backpressure reaches the socket). After the first
 * refusal the remaining parts are read and dropped, so the client gets the answer instead of a reset
 * connection, up to `bodyBytes`; the first refusal is thrown once the body ended.
 */
export async function readMultipartStream(request: Request, handlers: MultipartHandlers, limits: MultipartLimits): Promise<void> {
  const contentType = request.headers.get("content-type") ?? "";
  if (request.body === null) throw badRequest("The multipart/form-data body is empty.");
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      // Browsers send file names as UTF-8; and the raw name is kept, so `../x` is refused rather than silently cut to `x`.
      defParamCharset: "utf8",
      preservePath: true,
      // Larger buffers than the 16 KB default: fewer, bigger chunks to hash and write (bench/designs.ts).
      highWaterMark: 256 * 1024,
      fileHwm: 256 * 1024,
      limits: { files: limits.files, fields: limits.fields, fieldSize: limits.fieldBytes, parts: limits.files + limits.fields },
    });
  } catch {
    throw badRequest("The multipart/form-data body has no boundary in its Content-Type.");
  }

  let failure: unknown;
  let chain: Promise<void> = Promise.resolve();
  const run = (task: () => void | Promise<void>) => {
    chain = chain.then(async () => {
      if (failure !== undefined) return;
      try {
        await task();
      } catch (error) {
        failure = error;
      }
    });
  };
  parser.on("field", (name, value, info) => {
    run(() => {
      if (info.valueTruncated) throw new DomainError("too_large", "field_too_large", `${name}: the field is longer than ${limits.fieldBytes} bytes.`);
      return handlers.field(name, value);
    });
  });
  parser.on("file", (name, stream, info) => {
    // A body cut short errors the open file stream as well as the parser; the parser's error is the one reported.
    stream.on("error", () => {});
    // Parts are handled one after the other; a later file waits, paused, while an earlier one is stored.
    run(() => handlers.file(name, stream, { filename: info.filename, mimeType: info.mimeType }));
    chain = chain.then(() => {
      if (!stream.readableEnded) stream.resume();
    });
  });
  parser.on("filesLimit", () => run(() => Promise.reject(handlers.tooMany("files"))));
  parser.on("fieldsLimit", () => run(() => Promise.reject(handlers.tooMany("fields"))));
  parser.on("partsLimit", () => run(() => Promise.reject(handlers.tooMany("files"))));

  const finished = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", reject);
  });
  const body = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
  let seen = 0;
  body.on("data", (chunk: Buffer) => {
    seen += chunk.byteLength;
    if (seen > limits.bodyBytes) body.destroy(handlers.tooLarge());
  });
  body.on("error", (error) => parser.destroy(error));
  body.pipe(parser);
  try {
    await finished;
  } catch (error) {
    await chain;
    // A handler's refusal comes first; a handler that only saw the body break reports the break.
    if (failure instanceof DomainError) throw failure;
    if (error instanceof DomainError) throw error;
    throw badRequest("The multipart/form-data body is malformed or was cut short.");
  }
  await chain;
  if (failure !== undefined) throw failure;
}
