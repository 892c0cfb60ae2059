import { readFileSync } from "node:fs";

/** The version in package.json, reported by NodeInfo and the User-Agent. */
export const SOFTWARE_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
