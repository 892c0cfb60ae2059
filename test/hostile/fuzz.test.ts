import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createFuzzWorld, type FuzzWorld, realParameter } from "./fuzz/fuzz-world.ts";
import { type HealthProbe, startHealthProbe } from "./fuzz/health-probe.ts";
import { inboxCase, inboxPaths } from "./fuzz/inbox-cases.ts";
import { type FuzzCase, requestCase } from "./fuzz/request-cases.ts";
import { fedifyRoutes, fillPath, fuzzableRoutes, type RouteTarget } from "./fuzz/route-catalogue.ts";
import { ACTOR_PATH, CHARTER_PATH, DIRECTORY_COLLECTION_PATH, FEATURED_PATH, FOLLOWERS_PATH, MEMBER_NOTE_PATH, NODEINFO_PATH, NOTE_PATH, OUTBOX_PATH } from "../../federation/uris.ts";
import { fuzzSeed, seededRandom } from "./fuzz/seeded-random.ts";
import { discoverForms, type FormFields } from "./fuzz/seed-values.ts";

/**
 * Issue 9's fuzzer: malformed JSON, deep nesting, wrong types, odd Unicode, oversized fields and
 * wrong content types sent to every route the app registers (and Fedify's ActivityPub GETs), as
 * nobody, a member and an admin, and to the inboxes as signed (for real) and unsigned deliveries. Any 5xx fails the run; so does a
 * /healthz answer slower than 1 s meanwhile. Replay a failure with the seed it prints:
 *   FUZZ_SEED=<seed> [FUZZ_CASES=<n>] [FUZZ_ONLY=<regexp on "METHOD path">] node --test test/hostile/fuzz.test.ts
 */
const SEED = fuzzSeed(process.env.FUZZ_SEED);
/** Per route and persona; about 40 s for the whole file on one core. */
const CASES = Number(process.env.FUZZ_CASES || 5);
if (!Number.isSafeInteger(CASES) || CASES < 1) throw new Error(`FUZZ_CASES must be a positive integer, got ${JSON.stringify(process.env.FUZZ_CASES)}`);
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
/** Ordinary answers take a few milliseconds; a whole second means the node stopped serving. */
const HEALTH_LIMIT_MS = 1000;

let world: FuzzWorld;
let routes: RouteTarget[];
let forms: Map<string, FormFields>;

before(async () => {
  world = await createFuzzWorld();
  const openapi = await world.node.http.get("/api/openapi.json");
  routes = [...fuzzableRoutes(world.node.app, openapi.body), ...fedifyRoutes([ACTOR_PATH, OUTBOX_PATH, FOLLOWERS_PATH, FEATURED_PATH, DIRECTORY_COLLECTION_PATH, NODEINFO_PATH, NOTE_PATH, MEMBER_NOTE_PATH, CHARTER_PATH])];
  const pages = routes.filter((r) => r.method === "GET" && !r.api).map((r) => fillPath(r.path, (name, before, constraint) => realParameter(world, name, before, constraint)));
  forms = await discoverForms(world, pages);
});
after(async () => await world?.close());

interface Outcome {
  readonly requests: number;
  /** The slowest requests, to see where the time goes. */
  readonly slowest: { ms: number; what: string }[];
  readonly statuses: Map<number, number>;
  readonly failures: string[];
}

async function send(outcome: Outcome, fuzzCase: FuzzCase, probe: HealthProbe): Promise<void> {
  const what = `${fuzzCase.method} ${fuzzCase.path.slice(0, 120)} [${fuzzCase.label}]`;
  probe.current = what;
  const started = performance.now();
  try {
    await sendCase(outcome, fuzzCase);
  } finally {
    outcome.slowest.push({ ms: performance.now() - started, what });
    outcome.slowest.sort((a, b) => b.ms - a.ms).splice(5);
  }
}

async function sendCase(outcome: Outcome, fuzzCase: FuzzCase): Promise<void> {
  const method = fuzzCase.method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
  let call = world.node.http[method](fuzzCase.path);
  for (const [name, value] of Object.entries(fuzzCase.headers)) call = call.set(name, value);
  (outcome as { requests: number }).requests++;
  let res: { status: number; text: string };
  try {
    res = fuzzCase.body === undefined ? await call : await call.send(fuzzCase.body);
  } catch (error) {
    // No answer at all (the connection dropped) is as bad as a 5xx, and a peer would retry it too.
    outcome.failures.push(`${fuzzCase.method} ${fuzzCase.path.slice(0, 200)} [${fuzzCase.label}] → no response: ${String(error)}`);
    return;
  }
  outcome.statuses.set(res.status, (outcome.statuses.get(res.status) ?? 0) + 1);
  if (res.status >= 500) {
    outcome.failures.push(`${fuzzCase.method} ${fuzzCase.path.slice(0, 200)} [${fuzzCase.label}] → ${res.status} ${res.text.slice(0, 300)}`);
  }
}

function report(outcome: Outcome, health: { probes: number; slowestMs: number }): void {
  const histogram = [...outcome.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(", ");
  console.log(`fuzz seed ${SEED} on ${ENGINE_LABEL}: ${outcome.requests} requests, ${CASES} cases per route and persona`);
  console.log(`statuses: ${histogram}`);
  console.log(`/healthz: ${health.probes} probes, slowest ${Math.round(health.slowestMs)} ms`);
  console.log(`slowest requests:\n${outcome.slowest.map((s) => `  ${Math.round(s.ms)} ms ${s.what}`).join("\n")}`);
}

describe(`fuzzing every route and both inboxes on ${ENGINE_LABEL}`, () => {
  test("no hostile input gets a 5xx, and /healthz answers within 1 s throughout", async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    // A run that found no route would pass without testing anything.
    assert.ok(routes.some((r) => r.api && r.method === "POST") && routes.some((r) => !r.api && r.method === "POST"), "app.routes listed no API or form POST route");
    const outcome: Outcome = { requests: 0, slowest: [], statuses: new Map(), failures: [] };
    const probe = startHealthProbe(world.node, 250, HEALTH_LIMIT_MS);
    try {
      for (const route of routes) {
        if (ONLY !== undefined && !ONLY.test(`${route.method} ${route.path}`)) continue;
        await world.refreshCredentials();
        for (const persona of world.personas) {
          const random = seededRandom(SEED, `${route.method} ${route.path} ${persona.name}`);
          for (let n = 0; n < CASES; n++) await send(outcome, requestCase(world, route, persona, random, forms, n), probe);
        }
      }
      for (const path of inboxPaths(world)) {
        if (ONLY !== undefined && !ONLY.test(`POST ${path}`)) continue;
        const random = seededRandom(SEED, `POST ${path}`);
        // Inboxes take everything a peer sends, so they get several times a route's share.
        for (let n = 0; n < CASES * 6; n++) await send(outcome, await inboxCase(world, path, random, n, SEED), probe);
      }
    } finally {
      const health = await probe.stop();
      report(outcome, health);
      const problems = [...outcome.failures, ...health.problems];
      assert.deepEqual(problems, [], `${outcome.failures.length} requests got a 5xx, /healthz had ${health.problems.length} problems (replay with FUZZ_SEED=${SEED})`);
    }
  });
});
