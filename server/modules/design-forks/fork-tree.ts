import type { ForkLink } from "../../db/database.ts";
import type { ForkRecord } from "./design-fork.repository.ts";

/** A design at the root of a tree: the original of a chain. */
export interface ForkOrigin {
  readonly iri: string;
  readonly name: string;
  readonly host: string;
  readonly licence: string;
}

/** One fork in the tree, with the forks made of it in turn. */
export interface ForkNode {
  readonly iri: string;
  readonly url: string | null;
  readonly name: string;
  readonly host: string;
  readonly city: string | null;
  readonly licence: string;
  /** Links from the design the tree is asked for (1: forked from it directly). */
  readonly depth: number;
  readonly forkOf: string;
  readonly children: ForkNode[];
}

export interface ForkTree {
  /** The original design: the design itself, or the first link of its chain when it is a fork. */
  readonly origin: ForkOrigin;
  /** The release this design was forked from, when it is a fork. */
  readonly forkOf: string | null;
  /** Its chain back to the original, oldest first (empty for an original). */
  readonly chain: readonly ForkLink[];
  /** The forks made of this design, as a tree. */
  readonly forks: ForkNode[];
}

/** What the tree needs to know of the design it is built for. */
export interface TreeRoot {
  readonly iri: string;
  readonly name: string;
  readonly licence: string;
  readonly forkOf: string | null;
  readonly forkChain: readonly ForkLink[];
}

/**
 * The tree of forks below a design, from its recorded forks: each row names the design it was forked
 * from (`parentDesignIri`), so children hang under their parent. A fork whose parent we never
 * recorded (its parent's announcement was refused, or has not arrived yet) is still shown, at the top.
 */
export function buildForkTree(root: TreeRoot, rows: readonly ForkRecord[]): ForkTree {
  const first = root.forkChain[0];
  const origin: ForkOrigin =
    first === undefined
      ? { iri: root.iri, name: root.name, host: new URL(root.iri).host, licence: root.licence }
      : { iri: first.design, name: first.name, host: first.host, licence: first.licence };
  const nodes = new Map<string, ForkNode>();
  for (const row of rows) {
    if (nodes.has(row.forkDesignIri)) continue;
    nodes.set(row.forkDesignIri, {
      iri: row.forkDesignIri,
      url: row.forkUrl,
      name: row.forkName,
      host: row.nodeHost,
      city: row.city,
      licence: row.licence,
      depth: row.depth,
      forkOf: row.sourceReleaseIri,
      children: [],
    });
  }
  const forks: ForkNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.forkDesignIri)!;
    if (forks.includes(node)) continue;
    const parent = nodes.get(row.parentDesignIri);
    if (parent !== undefined && parent !== node && !parent.children.includes(node)) parent.children.push(node);
    else if (parent === undefined) forks.push(node);
  }
  return { origin, forkOf: root.forkOf, chain: root.forkChain, forks };
}
