import { createHash } from "node:crypto";
import type { StoredReleaseFile } from "../../server/modules/designs/index.ts";
import { CreateDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import type { TestNode } from "../helpers/test-node.ts";
import type { TestMember } from "../projects/project-fixtures.ts";

/** A release file row for bytes that are notionally in the blob store (the store is tested with the files). */
export function storedFile(name: string, content: string, options: Partial<StoredReleaseFile> = {}): StoredReleaseFile {
  const bytes = Buffer.from(content);
  return {
    name,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.length,
    mediaType: "application/octet-stream",
    role: null,
    preview: null,
    ...options,
  };
}

export const sha256Of = (content: string): string => createHash("sha256").update(content).digest("hex");

/** A design made through the service, as the API does after parsing. */
export async function createDesign(node: TestNode, member: TestMember, input: Record<string, unknown>) {
  return await node.services.designs.create(member.actorId, CreateDesignSchema.parse({ name: "Solar dryer", licence: "CERN-OHL-S-2.0", ...input }));
}

export async function publish(node: TestNode, member: TestMember, handle: string, input: Record<string, unknown>, files: readonly StoredReleaseFile[] = []) {
  return await node.services.designs.publishRelease(member.actorId, handle, ReleaseInputSchema.parse(input), files);
}
