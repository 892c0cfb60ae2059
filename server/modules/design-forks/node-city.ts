import type { DirectorySearch } from "../directory/directory-search.schema.ts";
import type { DirectoryResults } from "../directory/index.ts";

/**
 * The city of a node, as the directory knows it: the locality (else the place name) of the newest of
 * its listings that has one. Null when the directory lists nothing of that node with a place.
 */
export async function nodeCity(directory: { search(search: DirectorySearch): Promise<DirectoryResults> }, host: string): Promise<string | null> {
  const search: DirectorySearch = {
    text: undefined,
    tags: [],
    kind: undefined,
    node: { host },
    point: undefined,
    radiusKm: undefined,
    locality: undefined,
    region: undefined,
    country: undefined,
    bioregion: undefined,
    sort: "updated",
    page: 1,
    pageSize: 20,
  };
  const { items } = await directory.search(search);
  for (const item of items) {
    const city = item.locality ?? item.location?.name ?? null;
    if (city !== null && city !== "") return city;
  }
  return null;
}
