import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Response } from "supertest";
import type { TestNode } from "../helpers/test-node.ts";
import { generatedBytes, multipartBody, type Part } from "../helpers/multipart-stream-body.ts";
import { bearer, type TestMember } from "../projects/project-fixtures.ts";

export const MB = 1024 * 1024;

export const metadataPart = (metadata: Record<string, unknown>): Part => ({ field: "metadata", value: JSON.stringify(metadata) });
export const bytesPart = (filename: string, bytes: Uint8Array, contentType?: string): Part => ({ field: "files", filename, contentType, bytes: () => [bytes] });
export const generatedPart = (filename: string, size: number, seed = 1): Part => ({ field: "files", filename, bytes: () => generatedBytes(size, seed) });

/** A STEP file as CAD tools write them (ISO 10303-21), enough to be typed by its extension. */
export const STEP_BYTES = Buffer.from("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('frame'),'2;1');\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n");
export const SAFE_SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><defs><linearGradient id="g"/></defs><rect width="40" height="20" fill="url(#g)"/></svg>\n',
);

/**
 * POST /api/v1/designs/{handle}/releases through the test node's supertest (so the answer is checked
 * against the OpenAPI document). The body is built by the streaming generator, so hostile names go out raw.
 */
export async function uploadRelease(node: TestNode, member: TestMember | undefined, handle: string, parts: readonly Part[], headers: Record<string, string> = {}): Promise<Response> {
  const { contentType, body } = multipartBody(parts);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  let req = node.http.post(`/api/v1/designs/${handle}/releases`).set("Content-Type", contentType);
  if (member !== undefined) req = req.set(...bearer(member));
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return await req.send(Buffer.concat(chunks));
}

/** Every file under the node's storage root, relative to it. */
export async function filesInStorage(node: TestNode): Promise<string[]> {
  const root = node.config.storageDir;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();
}

/** The blob paths the node's releases use (files and previews), as they lie under the storage root. */
export async function referencedBlobPaths(node: TestNode): Promise<string[]> {
  const rows = await node.database.db.selectFrom("release_files").select(["sha256", "preview_sha256"]).execute();
  const hashes = new Set(rows.flatMap((r) => [r.sha256, r.preview_sha256].filter((h): h is string => h !== null)));
  return [...hashes].map((h) => `sha256/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`).sort();
}

export async function releaseCount(node: TestNode): Promise<number> {
  const row = await node.database.db.selectFrom("design_releases").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}
