/**
 * Realistic directory data for bench/directory.ts, from a seeded generator so every run (and both
 * engines) gets the same entries and the same queries: 50 nodes, one per European city, each listing
 * repair cafés, tool libraries, gardens, co-ops… scattered around its city, with tags, summaries and
 * places. About one entry in ten has no coordinates, as in a real directory.
 */

/** mulberry32: small, fast, good enough for benchmark data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface City {
  readonly name: string;
  readonly country: string;
  readonly latitude: number;
  readonly longitude: number;
}

export const CITIES: readonly City[] = [
  ["Lyon", "FR", 45.764, 4.8357], ["Paris", "FR", 48.8566, 2.3522], ["London", "GB", 51.5074, -0.1278], ["Berlin", "DE", 52.52, 13.405],
  ["Madrid", "ES", 40.4168, -3.7038], ["Barcelona", "ES", 41.3874, 2.1686], ["Lisbon", "PT", 38.7223, -9.1393], ["Rome", "IT", 41.9028, 12.4964],
  ["Milan", "IT", 45.4642, 9.19], ["Bologna", "IT", 44.4949, 11.3426], ["Amsterdam", "NL", 52.3676, 4.9041], ["Brussels", "BE", 50.8503, 4.3517],
  ["Vienna", "AT", 48.2082, 16.3738], ["Prague", "CZ", 50.0755, 14.4378], ["Warsaw", "PL", 52.2297, 21.0122], ["Copenhagen", "DK", 55.6761, 12.5683],
  ["Stockholm", "SE", 59.3293, 18.0686], ["Oslo", "NO", 59.9139, 10.7522], ["Helsinki", "FI", 60.1699, 24.9384], ["Dublin", "IE", 53.3498, -6.2603],
  ["Edinburgh", "GB", 55.9533, -3.1883], ["Manchester", "GB", 53.4808, -2.2426], ["Hamburg", "DE", 53.5511, 9.9937], ["Munich", "DE", 48.1351, 11.582],
  ["Zurich", "CH", 47.3769, 8.5417], ["Geneva", "CH", 46.2044, 6.1432], ["Marseille", "FR", 43.2965, 5.3698], ["Toulouse", "FR", 43.6047, 1.4442],
  ["Nantes", "FR", 47.2184, -1.5536], ["Bordeaux", "FR", 44.8378, -0.5792], ["Ghent", "BE", 51.0543, 3.7174], ["Rotterdam", "NL", 51.9244, 4.4777],
  ["Athens", "GR", 37.9838, 23.7275], ["Budapest", "HU", 47.4979, 19.0402], ["Ljubljana", "SI", 46.0569, 14.5058], ["Zagreb", "HR", 45.815, 15.9819],
  ["Porto", "PT", 41.1579, -8.6291], ["Valencia", "ES", 39.4699, -0.3763], ["Seville", "ES", 37.3891, -5.9845], ["Naples", "IT", 40.8518, 14.2681],
  ["Turin", "IT", 45.0703, 7.6869], ["Kraków", "PL", 50.0647, 19.945], ["Tallinn", "EE", 59.437, 24.7536], ["Riga", "LV", 56.9496, 24.1052],
  ["Vilnius", "LT", 54.6872, 25.2797], ["Bristol", "GB", 51.4545, -2.5879], ["Cologne", "DE", 50.9375, 6.9603], ["Leipzig", "DE", 51.3397, 12.3731],
  ["Bilbao", "ES", 43.263, -2.935], ["Grenoble", "FR", 45.1885, 5.7245],
].map(([name, country, latitude, longitude]) => ({ name, country, latitude, longitude }) as City);

/** What the entries are, with the tags each kind of place usually carries. */
export const PLACES: readonly { readonly noun: string; readonly tags: readonly string[]; readonly kind: string }[] = [
  { noun: "Repair Café", tags: ["repair", "electronics", "reuse"], kind: "project" },
  { noun: "Bike Kitchen", tags: ["bikes", "repair", "cycling"], kind: "project" },
  { noun: "Tool Library", tags: ["tools", "sharing", "diy"], kind: "project" },
  { noun: "Seed Library", tags: ["seeds", "gardening", "biodiversity"], kind: "project" },
  { noun: "Community Garden", tags: ["gardening", "food", "soil"], kind: "project" },
  { noun: "Fab Lab", tags: ["makers", "3dprinting", "lasercutting"], kind: "facility" },
  { noun: "Makerspace", tags: ["makers", "electronics", "woodworking"], kind: "facility" },
  { noun: "Food Coop", tags: ["food", "organic", "cooperative"], kind: "coop" },
  { noun: "Energy Coop", tags: ["energy", "solar", "cooperative"], kind: "coop" },
  { noun: "Housing Coop", tags: ["housing", "cooperative", "commons"], kind: "coop" },
  { noun: "Free Shop", tags: ["reuse", "sharing", "gift"], kind: "project" },
  { noun: "Textile Workshop", tags: ["textiles", "sewing", "repair"], kind: "project" },
  { noun: "Computer Repair Club", tags: ["computers", "repair", "opensource"], kind: "project" },
  { noun: "Wood Workshop", tags: ["woodworking", "diy", "furniture"], kind: "facility" },
  { noun: "Bakery Collective", tags: ["food", "bread", "cooperative"], kind: "coop" },
  { noun: "Urban Farm", tags: ["farming", "food", "soil"], kind: "project" },
  { noun: "Compost Hub", tags: ["compost", "soil", "waste"], kind: "project" },
  { noun: "Library of Things", tags: ["sharing", "tools", "reuse"], kind: "project" },
  { noun: "Cargo Bike Share", tags: ["bikes", "mobility", "sharing"], kind: "project" },
  { noun: "Solar Collective", tags: ["solar", "energy", "diy"], kind: "coop" },
  { noun: "Open Hardware Design", tags: ["opensource", "hardware", "design"], kind: "design" },
  { noun: "Knitting Circle", tags: ["textiles", "knitting", "community"], kind: "project" },
];

const EXTRA_TAGS = ["community", "education", "youth", "seniors", "zerowaste", "circular", "climate", "neighbourhood", "volunteers", "workshops", "kids", "accessible", "lowtech", "permaculture", "music", "art", "books", "cooking", "water", "beekeeping"];
const DISTRICTS = ["North", "South", "East", "West", "Old Town", "Riverside", "Harbour", "Station", "Market", "Hill", "Park", "Centre", "University", "Docks", "Garden City", "Canal", "Castle", "Bridge", "Meadow", "Mill"];
const ACTIVITIES = ["open evenings every week", "volunteer-run workshops", "skill sharing for beginners", "a lending shelf", "monthly swap days", "free repairs with a coffee", "courses for schools", "a shared workshop space", "community dinners", "a members' assembly each season"];
const ADJECTIVES = ["friendly", "volunteer-run", "small", "busy", "neighbourhood", "cooperative", "open", "long-running", "new", "self-managed"];

export interface GeneratedEntry {
  readonly iri: string;
  readonly kind: string;
  readonly name: string;
  readonly summary: string;
  readonly tags: string[];
  readonly locationName: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly locality: string;
  readonly country: string;
  readonly url: string;
  readonly origin: string;
  readonly originHost: string;
  readonly updatedAt: Date;
}

export function nodeHost(index: number): string {
  return `${CITIES[index % CITIES.length]!.name.toLowerCase().normalize("NFD").replace(/[^a-z]/g, "")}.commons.example`;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** A normally distributed offset (Box–Muller), for places scattered around a city centre. */
const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Entry `i` of node `nodeIndex` (deterministic for a given random sequence). */
export function generateEntry(random: () => number, nodeIndex: number, i: number): GeneratedEntry {
  const city = CITIES[nodeIndex % CITIES.length]!;
  const place = pick(random, PLACES);
  const district = pick(random, DISTRICTS);
  const host = nodeHost(nodeIndex);
  const slug = `entry-${i}`;
  const tags = [...new Set([...place.tags.slice(0, 2 + Math.floor(random() * 2)), ...Array.from({ length: Math.floor(random() * 3) }, () => pick(random, EXTRA_TAGS))])];
  const located = random() >= 0.1;
  return {
    iri: `https://${host}/directory/entries/${slug}`,
    kind: place.kind,
    name: `${place.noun} ${city.name} ${district}`,
    summary: `A ${pick(random, ADJECTIVES)} ${place.noun.toLowerCase()} in ${district}, ${city.name}: ${pick(random, ACTIVITIES)}, ${pick(random, ACTIVITIES)} and ${pick(random, ACTIVITIES)}.`,
    tags,
    locationName: located ? `${district}, ${city.name}` : null,
    latitude: located ? clamp(city.latitude + gaussian(random) * 0.06, -90, 90) : null,
    longitude: located ? clamp(city.longitude + gaussian(random) * 0.09, -180, 180) : null,
    locality: city.name,
    country: city.country,
    url: `https://${host}/@${slug}`,
    origin: `https://${host}/@node`,
    originHost: host,
    updatedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300 * 86_400_000)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value * 1e6) / 1e6));
}

/** A typo as people make them: a dropped, doubled or swapped letter. */
export function withTypo(random: () => number, text: string): string {
  const at = 1 + Math.floor(random() * (text.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return text.slice(0, at) + text.slice(at + 1);
  if (kind === 1) return text.slice(0, at) + text[at] + text.slice(at);
  return text.slice(0, at - 1) + text[at] + text[at - 1] + text.slice(at + 1);
}

export const ALL_TAGS: readonly string[] = [...new Set([...PLACES.flatMap((p) => p.tags), ...EXTRA_TAGS])];
