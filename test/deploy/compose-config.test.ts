import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { test } from "node:test";
import { EnvSchema, loadConfig } from "../../server/platform/config.ts";
import { interpolateTree, referencedVariables, type Variables } from "./compose-interpolation.ts";
import { commandOf, environmentOf, healthcheckOf, instructionsNamed, parseDockerfile } from "./dockerfile.ts";
import { parseYamlSubset, type YamlValue, YamlSubsetError } from "./yaml-subset.ts";

/**
 * The deployment files, checked without a Docker engine: docker-compose.yml is read, interpolated as
 * Compose would, and the environment each container would get must pass the node's own config parser.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const composeSource = read("docker-compose.yml");
const dockerfile = parseDockerfile(read("Dockerfile"));
const packageJson = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What an operator puts in .env; optional variables are left out so the compose defaults apply. */
const OPERATOR_ENV: Variables = {
  PUBLIC_URL: "https://commons.example",
  SECRET_KEY: "k".repeat(48),
  POSTGRES_PASSWORD: "0f3a9c1e5b7d2468ace0",
};
const NODE_SERVICES = ["migrate", "web", "worker"] as const;

type Mapping = { [key: string]: YamlValue };
function asMap(value: YamlValue | undefined, what: string): Mapping {
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `${what} must be a mapping`);
  return value;
}

function composeWith(vars: Variables): Mapping {
  return asMap(interpolateTree(parseYamlSubset(composeSource), vars), "docker-compose.yml");
}
const compose = composeWith(OPERATOR_ENV);
const services = asMap(compose.services, "services");
const service = (name: string, from: Mapping = compose) => asMap(asMap(from.services, "services")[name], `service ${name}`);

/** A service's `environment`, in either of Compose's forms (mapping, or list of KEY=VALUE). */
function serviceEnv(name: string, from: Mapping = compose): Record<string, string> {
  const env = service(name, from).environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((item) => String(item).split(/=(.*)/s).slice(0, 2))
    : Object.entries(asMap(env, `${name}.environment`)).map(([k, v]) => [k, v === null ? "" : String(v)]);
  return Object.fromEntries(entries);
}

/** The environment the process in the container sees: the image's ENV, overridden by Compose's. */
function containerEnv(name: string, from: Mapping = compose): Record<string, string> {
  return { ...environmentOf(dockerfile), ...serviceEnv(name, from) };
}

function seconds(duration: YamlValue | undefined): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(duration));
  assert.ok(match !== null && String(duration) !== "", `'${String(duration)}' is not a duration like 30s`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

test("the compose file has postgres, a one-shot migrate, web and worker", () => {
  assert.deepEqual(Object.keys(services).sort(), ["migrate", "postgres", "web", "worker"]);
  assert.equal(serviceEnv("web").NODE_ROLE, "web");
  assert.equal(serviceEnv("worker").NODE_ROLE, "worker");
});

test("every variable the node services set is one server/platform/config.ts reads", () => {
  const known = new Set(Object.keys(EnvSchema.shape));
  for (const name of NODE_SERVICES) {
    for (const key of Object.keys(serviceEnv(name))) assert.ok(known.has(key), `${name} sets ${key}, which server/platform/config.ts does not read`);
  }
  for (const key of Object.keys(environmentOf(dockerfile))) assert.ok(known.has(key), `the Dockerfile sets ${key}, unknown to server/platform/config.ts`);
});

test("the environment of web, worker and migrate passes the node's config parser", () => {
  const configs = NODE_SERVICES.map((name) => loadConfig(containerEnv(name)));
  const [migrate, web, worker] = configs as [ReturnType<typeof loadConfig>, ReturnType<typeof loadConfig>, ReturnType<typeof loadConfig>];
  assert.equal(web.nodeRole, "web");
  assert.equal(worker.nodeRole, "worker");
  for (const config of configs) {
    assert.equal(config.nodeEnv, "production");
    assert.equal(config.allowPrivateAddress, false);
    assert.equal(config.publicUrl.href, "https://commons.example/");
    assert.equal(config.secretKey, OPERATOR_ENV.SECRET_KEY);
    assert.equal(config.dataDir, "/var/lib/commonsnet");
    assert.equal(config.registration, "approval");
    assert.equal(config.nodeName, "Commonsnet node");
    assert.equal(new URL(config.databaseUrl!).host, "postgres:5432", "DATABASE_URL points at the postgres service");
  }
  // Every process of one node shares its database, origin and secret.
  assert.equal(new Set(configs.map((c) => c.databaseUrl)).size, 1);
  assert.equal(migrate.databaseUrl, web.databaseUrl);
});

test("web and worker share one volume of design files, at the STORAGE_DIR their config reads", () => {
  const declared = asMap(compose.volumes, "volumes");
  const mounts = (["web", "worker"] as const).map((name) => {
    const storageDir = loadConfig(containerEnv(name)).storageDir;
    const mount = ((service(name).volumes ?? []) as YamlValue[]).map(String).find((v) => v.endsWith(`:${storageDir}`));
    assert.ok(mount !== undefined, `${name} mounts a volume at ${storageDir}`);
    assert.ok(mount.split(":")[0]! in declared, `${name}'s files volume is a named, declared volume`);
    return mount;
  });
  assert.equal(mounts[0], mounts[1], "web and worker see the same files");
  assert.equal(loadConfig(containerEnv("web")).designFileMaxBytes, 50 * 1024 * 1024);
  const custom = composeWith({ ...OPERATOR_ENV, DESIGN_FILE_MAX_MB: "20", DESIGN_RELEASE_MAX_MB: "200" });
  assert.equal(loadConfig(containerEnv("web", custom)).designReleaseMaxBytes, 200 * 1024 * 1024);
});

test("Compose refuses to start without PUBLIC_URL, SECRET_KEY and POSTGRES_PASSWORD", () => {
  const required = new Set(referencedVariables(composeSource).filter((v) => v.required).map((v) => v.name));
  assert.deepEqual([...required].sort(), ["POSTGRES_PASSWORD", "PUBLIC_URL", "SECRET_KEY"]);
  for (const name of required) {
    const { [name]: _dropped, ...rest } = OPERATOR_ENV;
    assert.throws(() => composeWith(rest), new RegExp(`required variable ${name} is missing a value`));
    assert.throws(() => composeWith({ ...rest, [name]: "" }), new RegExp(`required variable ${name}`));
  }
});

test("optional settings from .env reach the node, and a bad one is refused by its config parser", () => {
  const custom = composeWith({ ...OPERATOR_ENV, NODE_NAME: "Bike Kitchen", REGISTRATION: "open", LOG_LEVEL: "debug" });
  const web = loadConfig(containerEnv("web", custom));
  assert.equal(web.nodeName, "Bike Kitchen");
  assert.equal(web.registration, "open");
  assert.equal(web.logLevel, "debug");
  const bad = composeWith({ ...OPERATOR_ENV, REGISTRATION: "everyone" });
  assert.throws(() => loadConfig(containerEnv("worker", bad)), /REGISTRATION: must be one of/);
});

test("postgres is PostgreSQL 17 on a named volume, with a pg_isready health check", () => {
  const postgres = service("postgres");
  assert.match(String(postgres.image), /^postgres:17(\b|[.-])/);
  const volumes = postgres.volumes as YamlValue[];
  const data = volumes.map(String).find((v) => v.endsWith(":/var/lib/postgresql/data"));
  assert.ok(data !== undefined, "PostgreSQL's data directory is on a volume");
  assert.ok(data.split(":")[0]! in asMap(compose.volumes, "volumes"), "the volume is a named, declared volume");
  assert.match((asMap(postgres.healthcheck, "healthcheck").test as string[]).join(" "), /pg_isready/);
  // The node's DATABASE_URL names the user, password and database the postgres service creates.
  const env = serviceEnv("postgres");
  const url = new URL(serviceEnv("web").DATABASE_URL!);
  assert.equal(url.username, env.POSTGRES_USER);
  assert.equal(url.password, env.POSTGRES_PASSWORD);
  assert.equal(url.pathname, `/${env.POSTGRES_DB}`);
});

test("migrate runs the migrate CLI once, and web and worker wait for it to succeed", () => {
  const migrate = service("migrate");
  assert.deepEqual(migrate.command, ["node", "server/db/migrate-cli.ts"]);
  assert.equal(packageJson.scripts.migrate, "node server/db/migrate-cli.ts", "the same command as npm run migrate");
  assert.equal(migrate.restart, "no");
  assert.equal(asMap(asMap(migrate.depends_on, "depends_on").postgres, "postgres").condition, "service_healthy");
  for (const name of ["web", "worker"]) {
    const dependsOn = asMap(service(name).depends_on, `${name}.depends_on`);
    assert.equal(asMap(dependsOn.migrate, "migrate").condition, "service_completed_successfully", `${name} waits for migrate`);
  }
});

test("web is published and health-checked; workers scale and drain on SIGTERM", () => {
  const web = service("web");
  const ports = (web.ports as YamlValue[]).map(String);
  assert.equal(ports.length, 1);
  const containerPort = Number(ports[0]!.split(":").at(-1));
  const exposed = instructionsNamed(dockerfile, "EXPOSE").flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split("/")[0])));
  assert.ok(exposed.includes(containerPort), `the Dockerfile EXPOSEs ${containerPort}, the port compose maps`);
  assert.equal(loadConfig(containerEnv("web")).port, containerPort, "the node listens on the mapped port");
  assert.match((asMap(web.healthcheck, "healthcheck").test as string[]).join(" "), /127\.0\.0\.1:8080\/healthz/);
  const worker = service("worker");
  assert.equal(worker.ports, undefined, "--scale worker=N needs no fixed host port");
  assert.equal(worker.container_name, undefined, "--scale worker=N needs no fixed container name");
  for (const name of NODE_SERVICES) {
    // server/app/node.ts gives in-flight requests up to 20 s; the grace period must outlast it.
    assert.ok(seconds(service(name).stop_grace_period) > 20, `${name}: stop_grace_period outlasts the 20 s drain`);
  }
});

test("the Dockerfile runs server/app/main.ts on Node 24 as a non-root user, with a /healthz check", () => {
  const from = instructionsNamed(dockerfile, "FROM");
  assert.equal(from.length, 1);
  const image = /^node:(\d+)[.-]\S*slim/.exec(from[0]!.args);
  assert.ok(image !== null, `a Debian-slim Node base image, got ${from[0]!.args}`);
  const nodeMajor = /(\d+)/.exec(packageJson.devDependencies.node)![1];
  assert.equal(image[1], nodeMajor, "the image's Node major matches package.json's node devDependency");

  assert.deepEqual(commandOf(instructionsNamed(dockerfile, "CMD").at(-1)!.args), ["node", "server/app/main.ts"]);
  assert.equal(packageJson.scripts.start, "node server/app/main.ts", "the same entry as npm start");

  const user = instructionsNamed(dockerfile, "USER").at(-1)?.args;
  assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `runs as a non-root user, got ${user}`);
  assert.equal(instructionsNamed(dockerfile, "STOPSIGNAL").at(-1)?.args, "SIGTERM");
  const health = healthcheckOf(instructionsNamed(dockerfile, "HEALTHCHECK").at(-1)!.args);
  assert.ok(health.command !== undefined);
  assert.match(health.command.join(" "), /\/healthz/);
  assert.ok(!health.command.includes("curl"), "slim images have no curl");
  assert.ok(instructionsNamed(dockerfile, "RUN").some((i) => /npm ci --omit=dev/.test(i.args)));
});

test("the code the image runs needs only production dependencies (npm ci --omit=dev)", () => {
  const runtimeDirs = ["server", "federation", "web", "migrations"];
  const ignored = read(".dockerignore").split("\n").map((l) => l.trim());
  for (const dir of runtimeDirs) assert.ok(!ignored.includes(dir), `${dir}/ is copied into the image`);
  const files = runtimeDirs.flatMap((dir) =>
    readdirSync(new URL(`../../${dir}`, import.meta.url), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `${dir}/${f}`),
  );
  assert.ok(files.includes("server/app/main.ts"));
  const builtins = new Set(builtinModules);
  const missing: string[] = [];
  for (const file of files) {
    // `import type` is erased by type stripping; every other import loads its package at run time.
    const source = read(file).replace(/^\s*(import|export)\s+type\s[^;]*;/gm, "");
    // Only real import statements and dynamic imports: the word "from" also appears in strings.
    for (const [, specifier] of source.matchAll(/(?:^\s*(?:import|export)\b[^;"'`]*?\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"'.][^"']*)["']/gm)) {
      if (specifier!.startsWith("node:") || builtins.has(specifier!)) continue;
      const name = specifier!.split("/").slice(0, specifier!.startsWith("@") ? 2 : 1).join("/");
      if (!(name in packageJson.dependencies)) missing.push(`${file} imports ${name}`);
    }
  }
  assert.deepEqual(missing, [], "a devDependency is not installed in the image");
});

test(".dockerignore keeps dependencies, data, secrets and history out of the image", () => {
  const ignored = new Set(read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")));
  for (const entry of ["node_modules", "data", ".env", ".git"]) assert.ok(ignored.has(entry), `.dockerignore lists ${entry}`);
});

test("the README documents every configuration variable and the compose variables", () => {
  const readme = read("README.md");
  for (const key of Object.keys(EnvSchema.shape)) assert.match(readme, new RegExp(`\\| \`${key}\` \\|`), `README's table lists ${key}`);
  for (const { name } of referencedVariables(composeSource)) assert.ok(readme.includes(name), `README mentions ${name}`);
});

test("the YAML subset reader refuses what it cannot read, and merges like YAML", () => {
  assert.throws(() => parseYamlSubset("a: |\n  text\n"), YamlSubsetError);
  assert.throws(() => parseYamlSubset("a: {b: 1}\n"), YamlSubsetError);
  assert.throws(() => parseYamlSubset("a: b: c\n"), YamlSubsetError);
  assert.deepEqual(parseYamlSubset("base: &b\n  x: 1\n  y: 2\nm:\n  <<: *b\n  y: 3\nl:\n- 'it''s'\n- [\"a\", b]\n"), {
    base: { x: 1, y: 2 },
    m: { x: 1, y: 3 },
    l: ["it's", ["a", "b"]],
  });
});

test("the YAML subset reader reads docker-compose.yml as a full YAML parser does", async (t) => {
  // `yaml` is only a transitive dependency here; the check runs when it can be imported.
  const name = "yaml";
  let yaml: { parse(source: string, options: { merge: boolean }): unknown };
  try {
    yaml = (await import(name)) as typeof yaml;
  } catch {
    t.skip("the yaml package is not installed");
    return;
  }
  assert.deepEqual(parseYamlSubset(composeSource), yaml.parse(composeSource, { merge: true }));
});
