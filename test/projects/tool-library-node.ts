import { parseHTML } from "linkedom";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { browserCookies, createMember, createProject, type TestMember, uploadImage } from "./project-fixtures.ts";

export interface ToolLibraryNode {
  readonly node: TestNode;
  readonly alice: TestMember;
  readonly bob: TestMember;
  readonly aliceCookies: string;
  readonly bobCookies: string;
}

/** A node with members alice (maintainer of "tool-library", with an avatar) and bob, both signed in. */
export async function createToolLibraryNode(): Promise<ToolLibraryNode> {
  const node = await createTestNode({ NODE_NAME: "Lyon Commons" });
  const alice = await createMember(node, "alice");
  const bob = await createMember(node, "bob");
  const aliceCookies = await browserCookies(node, alice);
  const bobCookies = await browserCookies(node, bob);
  const avatar = await uploadImage(node, alice, { purpose: "avatar", description: "Wrench logo" });
  await createProject(node, alice, {
    handle: "tool-library",
    name: "Tool Library",
    summary: "Borrow **tools**, return them. #Sharing",
    tags: ["sharing", "tools"],
    location: { name: "Guillotière", latitude: 45.75, longitude: 4.84, locality: "Lyon", country: "FR", bioregion: "Rhône basin" },
    website: "https://tools.example/",
    avatar: avatar.id,
  });
  return { node, alice, bob, aliceCookies, bobCookies };
}

/** GETs a page as a browser would, parsed for element assertions. */
export async function fetchPage(node: TestNode, path: string, cookies?: string) {
  const req = node.http.get(path).set("Accept", "text/html");
  if (cookies) req.set("Cookie", cookies);
  const res = await req;
  return { status: res.status, res, document: parseHTML(res.text).document };
}
