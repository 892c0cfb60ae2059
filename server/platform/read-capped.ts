/**
 * Reads a body stream whole, or gives up as soon as it exceeds `maxBytes` (null): a declared
 * Content-Length can lie or be absent, so the bytes are counted as they arrive. The reader is
 * cancelled without waiting, since cancelling one branch of a tee settles only once the other is
 * cancelled too.
 */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}
