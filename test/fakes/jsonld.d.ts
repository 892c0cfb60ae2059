// The `jsonld` package (a dependency of @fedify/fedify) ships no types; the fake uses only canonize.
declare module "jsonld" {
  const jsonld: {
    canonize(input: unknown, options: { format: "application/n-quads"; documentLoader: (url: string) => Promise<unknown>; safe?: boolean; algorithm?: string }): Promise<string>;
  };
  export default jsonld;
}
