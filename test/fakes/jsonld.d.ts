// The `jsonld` package (a dependency of @fedify/fedify) ships no types; the fake uses canonize, the
// design tests expand (to check that extension terms mean what they should).
declare module "jsonld" {
  const jsonld: {
    canonize(input: unknown, options: { format: "application/n-quads"; documentLoader: (url: string) => Promise<unknown>; safe?: boolean; algorithm?: string }): Promise<string>;
    expand(input: unknown, options?: { documentLoader?: (url: string) => Promise<unknown> }): Promise<unknown[]>;
  };
  export default jsonld;
}
