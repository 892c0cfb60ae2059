import type { Federation } from "@fedify/fedify";
import { Service } from "@fedify/vocab";
import type { FederationDeps } from "./federation-deps.ts";
import { DESIGN_FORKS_PATH } from "./uris.ts";

/**
 * A design's `forks` (ForgeFed's Repository `forks`, https://forgefed.org/vocabulary.html#prop-forks; docs/designs.md): the IRIs of the forks other
 * nodes made of it, at any depth of the chain, that this node accepted. One page, as ForgeFed
 * servers serve it; a design has few forks. Other actors have none (404).
 */
export function registerDesignForksCollection(federation: Federation<FederationDeps>): void {
  federation
    .setOrderedCollectionDispatcher("design-forks", Service, DESIGN_FORKS_PATH, async (ctx, values) => {
      const iris = await ctx.data.services.designForks.forkIris(values.identifier);
      // IRIs only, as ForgeFed lists forks; Fedify serialises URL items as IRIs though its types ask for objects.
      return iris === undefined ? null : { items: iris.map((iri) => new URL(iri)) as unknown as Service[] };
    })
    .setCounter(async (ctx, values) => (await ctx.data.services.designForks.forkIris(values.identifier))?.length ?? null);
}
