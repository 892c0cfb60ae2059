import { Readable } from "node:stream";
import { CreateDesignSchema, ReleaseInputSchema } from "../../server/modules/designs/index.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { browserCookies, createMember, createProject, pngBytes, type TestMember } from "../projects/project-fixtures.ts";

export interface DesignPagesNode {
  readonly node: TestNode;
  readonly alice: TestMember;
  readonly bob: TestMember;
  readonly aliceCookies: string;
  readonly bobCookies: string;
}

/**
 * A node where alice maintains the "solar-dryer" design (in her project "food-lab") with two releases:
 * 1.0.0 with a PNG and a STEP file and a BOM, and 1.1.0 with a PDF. Bob is another member.
 */
export async function createDesignPagesNode(): Promise<DesignPagesNode> {
  const node = await createTestNode({ NODE_NAME: "Lyon Commons" });
  const alice = await createMember(node, "alice");
  const bob = await createMember(node, "bob");
  const [aliceCookies, bobCookies] = await Promise.all([browserCookies(node, alice), browserCookies(node, bob)]);
  await createProject(node, alice, { handle: "food-lab", name: "Food Lab" });
  const { designs } = node.services;
  await designs.create(alice.actorId, CreateDesignSchema.parse({
    handle: "solar-dryer",
    name: "Solar Dryer",
    summary: "Dries fruit with **sunlight**.",
    function: "Dries food without electricity",
    tags: ["solar", "food"],
    licence: "CERN-OHL-S-2.0",
    documentationLicence: "CC-BY-SA-4.0",
    licensor: "Food Lab Lyon",
    project: "food-lab",
  }));
  await designs.publishRelease(
    alice.actorId,
    "solar-dryer",
    ReleaseInputSchema.parse({
      version: "1.0.0",
      notes: "First *release*.",
      trl: "OTRL-4",
      drl: "ODRL-3",
      bom: [
        { part: "Plywood sheet", quantity: 2, unit: "sheet", material: "birch", source: "Bricomarché", link: "https://shop.example/plywood" },
        { part: "Screws", quantity: 40, unit: "pcs", material: null, source: null, link: null },
      ],
    }),
    [await storeFile(node, "photo.png", await pngBytes(800, 600)), await storeFile(node, "frame.step", Buffer.from("ISO-10303-21;\nHEADER;\nENDSEC;\n".repeat(100)))],
  );
  await designs.publishRelease(alice.actorId, "solar-dryer", ReleaseInputSchema.parse({ version: "1.1.0", notes: "Bigger trays." }), [await storeFile(node, "manual.pdf", Buffer.from("%PDF-1.4\n%%EOF\n"))]);
  return { node, alice, bob, aliceCookies, bobCookies };
}

/** A file stored as an upload is (design-files: blob store, type from bytes, preview). */
export async function storeFile(node: TestNode, name: string, bytes: Buffer) {
  const { file } = await node.services.designFiles.receive(Readable.from([bytes]), name);
  return file;
}
