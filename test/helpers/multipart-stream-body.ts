import { randomBytes } from "node:crypto";

/** One part of a multipart/form-data body: a text field, or a file whose bytes come as they are generated. */
export type Part =
  | { readonly field: string; readonly value: string }
  | {
      readonly field: string;
      readonly filename: string;
      /** Send the name as RFC 8187 `filename*` (percent-encoded UTF-8), which can carry any character, NUL included. */
      readonly filenameStar?: boolean;
      readonly contentType?: string;
      readonly bytes: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    };

/**
 * A multipart/form-data body (RFC 7578) produced part by part, so a client can send hundreds of megabytes
 * without holding them (supertest's attach() buffers each file). The filename goes out raw, as browsers
 * send it, so hostile names reach the server unaltered.
 */
export function multipartBody(parts: readonly Part[]): { contentType: string; body: ReadableStream<Uint8Array> } {
  const boundary = `----commonsnet${randomBytes(12).toString("hex")}`;
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (const part of parts) {
      if ("value" in part) {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"\r\n\r\n${part.value}\r\n`);
        continue;
      }
      const name = part.filenameStar ? `filename*=UTF-8''${encodeURIComponent(part.filename)}` : `filename="${part.filename.replaceAll('"', "%22")}"`;
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; ${name}\r\n` +
          `Content-Type: ${part.contentType ?? "application/octet-stream"}\r\n\r\n`,
      );
      for await (const chunk of part.bytes()) yield chunk;
      yield Buffer.from("\r\n");
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  const iterator = generate();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

/** `total` bytes in 1 MB chunks of one repeated pseudo-random block, different for each seed: generated, never held. */
export function* generatedBytes(total: number, seed: number): Generator<Uint8Array> {
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.imul(i + 1, 2654435761) ^ Math.imul(seed + 1, 40503)) >>> 0, i);
  for (let sent = 0; sent < total; sent += block.length) yield block.subarray(0, Math.min(block.length, total - sent));
}
