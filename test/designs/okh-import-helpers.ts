import type { Response } from "supertest";
import type { TestNode } from "../helpers/test-node.ts";
import { multipartBody, type Part } from "../helpers/multipart-stream-body.ts";
import { bearer, type TestMember } from "../projects/project-fixtures.ts";

export const manifestPart = (toml: string, asFile = true): Part =>
  asFile ? { field: "manifest", filename: "okh.toml", contentType: "application/toml", bytes: () => [Buffer.from(toml)] } : { field: "manifest", value: toml };

/** POST /api/v1/designs/import through the test node's supertest (so the answer is checked against the OpenAPI document). */
export async function importDesign(node: TestNode, member: TestMember | undefined, parts: readonly Part[], query = ""): Promise<Response> {
  const { contentType, body } = multipartBody(parts);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  let req = node.http.post(`/api/v1/designs/import${query}`).set("Content-Type", contentType);
  if (member !== undefined) req = req.set(...bearer(member));
  return await req.send(Buffer.concat(chunks));
}

/** supertest keeps binary bodies as Buffers only when told to. */
export function binary(res: unknown, done: (error: Error | null, body: Buffer) => void): void {
  // supertest hands the Node response (an IncomingMessage), though its types name superagent's Response.
  const stream = res as import("node:http").IncomingMessage;
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
}
