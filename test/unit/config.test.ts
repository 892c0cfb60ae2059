import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../server/platform/config.ts";

function issuesOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}

describe("loadConfig", () => {
  test("an empty environment gives a working embedded node on port 8080", () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl.href, "http://localhost:8080/");
    assert.equal(config.dataDir, "./data");
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.nodeRole, "all");
    assert.equal(config.registration, "approval");
    assert.equal(config.allowPrivateAddress, false);
    assert.deepEqual(config.privateAddressAllow, []);
    assert.ok(Object.isFrozen(config));
  });

  test("PUBLIC_URL defaults to the configured port and keeps only the origin", () => {
    assert.equal(loadConfig({ PORT: "9001" }).publicUrl.href, "http://localhost:9001/");
    assert.equal(loadConfig({ PUBLIC_URL: "https://bikes.city.example/" }).publicUrl.origin, "https://bikes.city.example");
  });

  test("empty strings count as unset", () => {
    assert.equal(loadConfig({ DATABASE_URL: "", PORT: "" }).port, 8080);
  });

  const badValues: [Record<string, string>, string][] = [
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "80.5" }, "PORT"],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "ftp://node.example" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "https://node.example/sub/path" }, "PUBLIC_URL"],
    [{ DATABASE_URL: "mysql://db/commons" }, "DATABASE_URL"],
    [{ NODE_ROLE: "admin" }, "NODE_ROLE"],
    [{ REGISTRATION: "everyone" }, "REGISTRATION"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ ALLOW_PRIVATE_ADDRESS: "maybe" }, "ALLOW_PRIVATE_ADDRESS"],
    [{ PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8, intranet" }, "PRIVATE_ADDRESS_ALLOW"],
    [{ PRIVATE_ADDRESS_ALLOW: "10.0.0.0/40" }, "PRIVATE_ADDRESS_ALLOW"],
    [{ NODE_NAME: "   " }, "NODE_NAME"],
    [{ NODE_DESCRIPTION: "x".repeat(2001) }, "NODE_DESCRIPTION"],
    [{ SECRET_KEY: "short" }, "SECRET_KEY"],
  ];

  for (const [env, variable] of badValues) {
    test(`${JSON.stringify(env).slice(0, 60)} is refused with a message naming ${variable}`, () => {
      const issues = issuesOf(env);
      assert.ok(
        issues.some((issue) => issue.startsWith(`${variable}:`)),
        `issues ${JSON.stringify(issues)} should name ${variable}`,
      );
    });
  }

  test("every bad variable is reported at once", () => {
    const issues = issuesOf({ PORT: "x", NODE_ROLE: "y", REGISTRATION: "z" });
    assert.deepEqual(issues.map((i) => i.split(":")[0]).sort(), ["NODE_ROLE", "PORT", "REGISTRATION"]);
  });

  test("PRIVATE_ADDRESS_ALLOW names ranges, comma- or space-separated, and is accepted in production", () => {
    const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://node.example", PRIVATE_ADDRESS_ALLOW: " 10.1.0.0/16, fd00::/8 192.168.1.5 " });
    assert.deepEqual(config.privateAddressAllow, ["10.1.0.0/16", "fd00::/8", "192.168.1.5"]);
    assert.equal(config.allowPrivateAddress, false);
  });

  test("ALLOW_PRIVATE_ADDRESS is refused in production and allowed in development and test", () => {
    const issues = issuesOf({ ALLOW_PRIVATE_ADDRESS: "true", NODE_ENV: "production" });
    assert.match(issues.join("\n"), /^ALLOW_PRIVATE_ADDRESS: .*production/m);
    assert.equal(loadConfig({ ALLOW_PRIVATE_ADDRESS: "true", NODE_ENV: "test" }).allowPrivateAddress, true);
    assert.equal(loadConfig({ ALLOW_PRIVATE_ADDRESS: "true", NODE_ENV: "development" }).allowPrivateAddress, true);
    assert.equal(loadConfig({ ALLOW_PRIVATE_ADDRESS: "false", NODE_ENV: "production" }).allowPrivateAddress, false);
  });

  test("separate web and worker roles need PostgreSQL", () => {
    assert.match(issuesOf({ NODE_ROLE: "worker" }).join("\n"), /^NODE_ROLE: .*DATABASE_URL/m);
    const config = loadConfig({ NODE_ROLE: "web", DATABASE_URL: "postgres://commons@db:5432/commons" });
    assert.equal(config.nodeRole, "web");
    assert.equal(config.databaseUrl, "postgres://commons@db:5432/commons");
  });

  test("design files are stored under DATA_DIR/files with 50 MB a file and 500 MB a release, unless set", () => {
    const defaults = loadConfig({ DATA_DIR: "/var/lib/cn" });
    assert.equal(defaults.storageDir, "/var/lib/cn/files");
    assert.equal(defaults.designFileMaxBytes, 50 * 1024 * 1024);
    assert.equal(defaults.designReleaseMaxBytes, 500 * 1024 * 1024);
    const custom = loadConfig({ STORAGE_DIR: "/srv/designs", DESIGN_FILE_MAX_MB: "0.5", DESIGN_RELEASE_MAX_MB: "2" });
    assert.equal(custom.storageDir, "/srv/designs");
    assert.equal(custom.designFileMaxBytes, 512 * 1024);
    assert.equal(custom.designReleaseMaxBytes, 2 * 1024 * 1024);
    assert.match(issuesOf({ DESIGN_FILE_MAX_MB: "0" }).join("\n"), /^DESIGN_FILE_MAX_MB: must be more than 0/m);
    assert.match(issuesOf({ DESIGN_FILE_MAX_MB: "80", DESIGN_RELEASE_MAX_MB: "60" }).join("\n"), /^DESIGN_FILE_MAX_MB: must not be more than DESIGN_RELEASE_MAX_MB/m);
  });

  test("the error message lists each issue on its own line", () => {
    assert.throws(() => loadConfig({ PORT: "abc" }), /Invalid configuration:\n {2}- PORT: must be a number/);
  });
});
