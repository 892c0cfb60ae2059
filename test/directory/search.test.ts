import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";
import { createMember, createProject } from "../projects/project-fixtures.ts";
import { CITIES, insertPeer, PARIS_LONDON_KM, PARIS_LYON_KM, receive, remoteDraft } from "./directory-fixtures.ts";

let node: TestNode;

interface Item {
  iri: string;
  kind: string;
  name: string;
  summary: string;
  tags: string[];
  location: Record<string, unknown>;
  url: string;
  origin: string;
  distanceKm?: number;
}

async function search(query: string): Promise<{ total: number; items: Item[] }> {
  const res = await node.http.get(`/api/v1/directory${query === "" ? "" : `?${query}`}`).expect(200);
  return res.body;
}
const names = (r: { items: Item[] }) => r.items.map((i) => i.name);

before(async () => {
  node = await createTestNode();
  const alice = await createMember(node, "alice");
  await createProject(node, alice, {
    handle: "bike-kitchen",
    name: "Bike Kitchen",
    summary: "We **fix** bicycles together, every Tuesday.",
    tags: ["repair", "bikes"],
    location: { name: "Guillotière", ...CITIES.lyon, locality: "Lyon", region: "Auvergne-Rhône-Alpes", country: "fr" },
  });
  await createProject(node, alice, { handle: "garden", name: "Community Garden", summary: "Growing vegetables together.", tags: ["food", "soil"], location: { ...CITIES.paris, locality: "Paris", country: "FR" } });
  await createProject(node, alice, { handle: "tools", name: "Tool Library", summary: "Borrow a drill.", tags: ["tools", "repair"] });

  const london = await insertPeer(node.database.db, "london.example");
  const berlin = await insertPeer(node.database.db, "berlin.example");
  await receive(node.database.db, london, remoteDraft("london.example", "repair-cafe", { name: "Repair Café London", tags: ["repair"], location: { name: null, ...CITIES.london }, locality: "London", country: "GB" }));
  await receive(node.database.db, london, remoteDraft("london.example", "hackney-bikes", { name: "Bike Kitchen Hackney", tags: ["bikes"], locality: "London", country: "GB" }));
  await receive(node.database.db, berlin, remoteDraft("berlin.example", "maker-space", { kind: "facility", name: "Maker Space", tags: ["makers"], location: { name: "Kreuzberg", ...CITIES.berlin }, country: "DE" }));
  await receive(node.database.db, berlin, remoteDraft("berlin.example", "bike-coop", { kind: "coop", name: "Open Bike Coop", tags: ["bikes"], country: "DE" }));
});
after(async () => {
  await node.close();
});

describe("GET /api/v1/directory: text", () => {
  test("a typo in the name still finds it (trigram similarity), the closest first", async () => {
    const result = await search("q=Bike%20Kichen");
    assert.equal(result.items[0]?.name, "Bike Kitchen");
    assert.ok(names(result).includes("Bike Kitchen Hackney"), names(result).join());
    assert.ok(!names(result).includes("Community Garden"));
  });

  test("words of the summary are found by full text; the summary is plain text", async () => {
    const result = await search("q=vegetables");
    assert.deepEqual(names(result), ["Community Garden"]);
    assert.equal(result.items[0]?.summary, "Growing vegetables together.");
    const bikes = await search("q=bicycles");
    assert.deepEqual(names(bikes), ["Bike Kitchen"]);
    assert.equal(bikes.items[0]?.summary, "We fix bicycles together, every Tuesday.");
  });

  test("relevance: the exact name before a longer one", async () => {
    const result = await search("q=bike%20kitchen");
    assert.deepEqual(names(result).slice(0, 2), ["Bike Kitchen", "Bike Kitchen Hackney"]);
  });

  test("a longer query is held to its other words too: a typo is forgiven, a different place is not", async () => {
    assert.deepEqual(names(await search("q=Bike%20Kitchen%20Hackny")), ["Bike Kitchen Hackney"]);
    assert.deepEqual(names(await search("q=repair%20caf%C3%A9%20londn")), ["Repair Café London"]);
    // Two words stay lenient: every bike kitchen.
    assert.deepEqual(names(await search("q=bike%20kitchn")).sort(), ["Bike Kitchen", "Bike Kitchen Hackney"]);
  });

  test("Murmurations' name parameter searches the same way", async () => {
    assert.deepEqual(names(await search("name=Makr%20Space")), ["Maker Space"]);
  });
});

describe("GET /api/v1/directory: tags, kind, node, place", () => {
  test("tags: every given tag must be there, case-insensitive, comma-separated or repeated", async () => {
    assert.deepEqual(names(await search("tags=Repair")).sort(), ["Bike Kitchen", "Repair Café London", "Tool Library"]);
    assert.deepEqual(names(await search("tags=repair,BIKES")), ["Bike Kitchen"]);
    assert.deepEqual(names(await search("tags=repair&tags=%23bikes")), ["Bike Kitchen"]);
    assert.deepEqual(names(await search("tags=nothing_here")), []);
  });

  test("kind", async () => {
    assert.deepEqual(names(await search("kind=facility")), ["Maker Space"]);
    assert.deepEqual(names(await search("kind=coop")), ["Open Bike Coop"]);
    assert.equal((await search("kind=project")).total, 5);
  });

  test("node: by host or by actor IRI; each result names its origin", async () => {
    const byHost = await search("node=london.example");
    assert.deepEqual(names(byHost).sort(), ["Bike Kitchen Hackney", "Repair Café London"]);
    assert.ok(byHost.items.every((i) => i.origin === "https://london.example/@node"));
    assert.deepEqual(names(await search("origin=https://london.example/@node")).sort(), ["Bike Kitchen Hackney", "Repair Café London"]);
    const local = await search("node=city-a.test");
    assert.deepEqual(names(local).sort(), ["Bike Kitchen", "Community Garden", "Tool Library"]);
    assert.ok(local.items.every((i) => i.origin === "https://city-a.test/@node"));
  });

  test("locality, region and country (Murmurations), case-insensitive", async () => {
    assert.deepEqual(names(await search("locality=lyon")), ["Bike Kitchen"]);
    assert.deepEqual(names(await search("region=auvergne-rh%C3%B4ne-alpes")), ["Bike Kitchen"]);
    assert.deepEqual(names(await search("country=gb")).sort(), ["Bike Kitchen Hackney", "Repair Café London"]);
    assert.deepEqual(names(await search("country=FR&tags=soil")), ["Community Garden"]);
  });

  test("an item has the contract's shape", async () => {
    const [item] = (await search("q=Bike%20Kitchen&node=city-a.test")).items;
    assert.deepEqual(item, {
      iri: "https://city-a.test/directory/entries/bike-kitchen",
      kind: "project",
      name: "Bike Kitchen",
      summary: "We fix bicycles together, every Tuesday.",
      tags: ["repair", "bikes"],
      location: { name: "Guillotière", latitude: 45.764, longitude: 4.8357, locality: "Lyon", region: "Auvergne-Rhône-Alpes", country: "FR", bioregion: null },
      url: "https://city-a.test/@bike-kitchen",
      origin: "https://city-a.test/@node",
    });
  });
});

describe("GET /api/v1/directory: distance", () => {
  const near = `near=${CITIES.paris.latitude},${CITIES.paris.longitude}`;

  test("distances from Paris: London ≈ 344 km, Lyon ≈ 392 km, nearest first", async () => {
    const result = await search(near);
    assert.deepEqual(names(result), ["Community Garden", "Repair Café London", "Bike Kitchen", "Maker Space"]);
    const km = Object.fromEntries(result.items.map((i) => [i.name, i.distanceKm]));
    assert.equal(km["Community Garden"], 0);
    assert.ok(Math.abs(km["Repair Café London"]! - PARIS_LONDON_KM) <= 2, `London at ${km["Repair Café London"]} km`);
    assert.ok(Math.abs(km["Bike Kitchen"]! - PARIS_LYON_KM) <= 2, `Lyon at ${km["Bike Kitchen"]} km`);
    assert.ok(result.items.every((i) => Number.isInteger(i.distanceKm! * 10)), "rounded to 0.1 km");
  });

  test("radius_km keeps entries within the radius only", async () => {
    assert.deepEqual(names(await search(`${near}&radius_km=340`)), ["Community Garden"]);
    assert.deepEqual(names(await search(`${near}&radius_km=350`)), ["Community Garden", "Repair Café London"]);
    assert.deepEqual(names(await search(`${near}&radius_km=400`)), ["Community Garden", "Repair Café London", "Bike Kitchen"]);
  });

  test("Murmurations' lat, lon and range (25km, 350, 350000m, 220mi)", async () => {
    const point = `lat=${CITIES.paris.latitude}&lon=${CITIES.paris.longitude}`;
    for (const range of ["350km", "350", "350000m", "220mi"]) {
      assert.deepEqual(names(await search(`${point}&range=${range}`)), ["Community Garden", "Repair Café London"], range);
    }
    assert.deepEqual(names(await search(`${point}&range=25km`)), ["Community Garden"]);
  });

  test("text and distance together: relevance order, distances shown", async () => {
    const result = await search(`q=bike&${near}`);
    assert.deepEqual(names(result), ["Bike Kitchen"]);
    assert.ok(Math.abs(result.items[0]!.distanceKm! - PARIS_LYON_KM) <= 2);
    const byDistance = await search(`tags=repair&${near}&sort=distance`);
    assert.deepEqual(names(byDistance), ["Repair Café London", "Bike Kitchen"]);
  });

  test("without a point there is no distanceKm", async () => {
    const result = await search("tags=repair");
    assert.ok(result.items.every((i) => !("distanceKm" in i)));
  });
});

describe("GET /api/v1/directory: order and pages", () => {
  test("without text or point: newest first; page and page_size page through the same total", async () => {
    const all = await search("page_size=100");
    assert.equal(all.total, 7);
    const first = await search("page_size=3&page=1");
    const second = await search("page_size=3&page=2");
    const third = await search("page_size=3&page=3");
    assert.equal(first.total, 7);
    assert.equal(third.items.length, 1);
    assert.deepEqual([...names(first), ...names(second), ...names(third)], names(all));
  });

  test("a page past the end is empty but still tells the total, for every kind of order", async () => {
    for (const query of ["q=bike", "tags=repair", `near=${CITIES.paris.latitude},${CITIES.paris.longitude}`, ""]) {
      const first = await search(`${query}&page_size=2`);
      const beyond = await search(`${query}&page_size=2&page=50`);
      assert.ok(first.total > 0, query);
      assert.deepEqual(beyond, { total: first.total, items: [] }, query);
    }
  });

  test("sort=relevance with a point orders by text, not distance", async () => {
    const result = await search(`q=bike%20kitchen&near=${CITIES.london.latitude},${CITIES.london.longitude}&sort=relevance`);
    assert.equal(result.items[0]?.name, "Bike Kitchen");
  });
});

test("the OpenAPI document describes GET /v1/directory and its parameters", async () => {
  const res = await node.http.get("/api/openapi.json").expect(200);
  const get = res.body.paths["/v1/directory"].get;
  const names = get.parameters.map((p: { name: string }) => p.name);
  for (const name of ["q", "tags", "kind", "node", "near", "radius_km", "lat", "lon", "range", "locality", "region", "country", "sort", "page", "page_size"]) assert.ok(names.includes(name), name);
  assert.deepEqual(get.responses[200].content["application/json"].schema.required, ["total", "items"]);
});

describe("GET /api/v1/directory: bad parameters are 422 naming the parameter", () => {
  const cases: [string, string, RegExp][] = [
    ["lat=91&lon=2", "lat", /must be between -90 and 90/],
    ["lat=north&lon=2", "lat", /must be a latitude/],
    ["lat=48", "lon", /is required with lat/],
    ["lon=2", "lat", /is required with lon/],
    ["near=48.8", "near", /latitude,longitude/],
    ["near=100,2", "near", /latitude from -90 to 90/],
    ["near=48,2&lat=48&lon=2", "near", /either near/],
    ["radius_km=10", "radius_km", /needs a point/],
    ["near=48,2&radius_km=-5", "radius_km", /greater than 0/],
    ["lat=48&lon=2&range=far", "range", /distance such as 25km/],
    ["sort=distance", "sort", /needs a point/],
    ["sort=random", "sort", /relevance, distance/],
    ["kind=spaceship", "kind", /project, coop, design, facility/],
    ["country=XX", "country", /ISO 3166-1 alpha-2/],
    ["country=FRA", "country", /ISO 3166-1 alpha-2/],
    ["tags=%23%23%23", "tags", /is not a tag/],
    ["page=0", "page", /from 1 to 1000/],
    ["page_size=101", "page_size", /from 1 to 100/],
    ["node=not%20a%20host", "node", /host/],
    [`q=${"x".repeat(201)}`, "q", /at most 200/],
  ];
  for (const [query, path, message] of cases) {
    test(`${query.slice(0, 40)} → ${path}`, async () => {
      const res = await node.http.get(`/api/v1/directory?${query}`).expect(422);
      assert.equal(res.body.error, "invalid_input");
      assert.equal(res.body.issues[0].path, path, JSON.stringify(res.body));
      assert.match(res.body.issues[0].message, message);
      assert.match(res.body.message, new RegExp(`^${path}: `));
    });
  }
});
