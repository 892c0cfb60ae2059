import { parseHTML } from "linkedom";
import type { JsonSchema } from "./route-catalogue.ts";
import type { FuzzWorld } from "./fuzz-world.ts";

/**
 * A plausible value for a schema, so a mutated body differs from a valid one in one place and the
 * mutation reaches the code behind validation. Named fields get values that exist on the node (a
 * member, the peer's actor) so requests go as far as they can; `unique` keeps new handles new.
 */
export function seedFromSchema(world: FuzzWorld, schema: JsonSchema | undefined, name: string, unique: string): unknown {
  if (schema === undefined) return "fuzz";
  const named = namedSeed(world, name, unique);
  if (named !== undefined) return named;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  if (schema.oneOf !== undefined && schema.oneOf.length > 0) return seedFromSchema(world, schema.oneOf[0], name, unique);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const object: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) object[key] = seedFromSchema(world, property, key, unique);
      return object;
    }
    case "array":
      return schema.items ? [seedFromSchema(world, schema.items, name, unique)] : [];
    case "integer":
      return schema.default ?? schema.minimum ?? 1;
    case "number":
      return schema.minimum !== undefined && schema.maximum !== undefined ? (schema.minimum + schema.maximum) / 4 : 1.5;
    case "boolean":
      return schema.default ?? true;
    default:
      if (schema.format === "uuid") return "0190f1a0-0000-7000-8000-000000000001";
      if (schema.format === "uri") return world.peer.actors.alice!.id;
      if (schema.pattern === "^[A-Z]{2}$") return "FR";
      return "fuzz text #bikes";
  }
}

function namedSeed(world: FuzzWorld, name: string, unique: string): unknown {
  const alice = world.peer.actors.alice!;
  switch (name) {
    case "username":
      return `fz${unique}`;
    case "password":
      return "correct horse battery";
    case "handle":
      return `fz${unique}`;
    case "target":
    case "iri":
      return alice.id;
    case "acct":
      return `alice@${new URL(alice.id).host}`;
    case "inReplyTo":
      return world.updateIri;
    case "url":
      return world.peer.origin;
    default:
      return undefined;
  }
}

/** What a person would type into an empty form field, by its name, so a mutated form gets past the other fields. */
export function formFieldSeed(world: FuzzWorld, name: string, unique: string): string {
  const named = namedSeed(world, name, unique);
  if (named !== undefined) return String(named);
  const typed: Record<string, string> = { latitude: "45.76", longitude: "4.84", country: "FR", maintainer: world.member.handle, website: "https://bikes.example", hopLimit: "1" };
  return typed[name] ?? "fuzz text #bikes";
}

/** The fields of a page's form: name → value it holds when the page is rendered. */
export type FormFields = Record<string, string>;

/**
 * The forms the node's pages render, found by reading them as each persona sees them: action path →
 * fields. Fuzzing a form POST starts from what the page would submit.
 */
export async function discoverForms(world: FuzzWorld, pagePaths: readonly string[]): Promise<Map<string, FormFields>> {
  const forms = new Map<string, FormFields>();
  for (const persona of world.personas) {
    for (const path of pagePaths) {
      let call = world.node.http.get(path).set("Accept", "text/html");
      if (persona.session !== undefined) call = call.set("Cookie", persona.session);
      const res = await call;
      if (!(res.headers["content-type"] ?? "").startsWith("text/html")) continue;
      const { document } = parseHTML(res.text);
      for (const form of document.querySelectorAll("form")) {
        if ((form.getAttribute("method") ?? "get").toLowerCase() !== "post") continue;
        const action = new URL(form.getAttribute("action") ?? path, "https://city-a.test").pathname;
        const fields: FormFields = { ...forms.get(action) };
        for (const input of form.querySelectorAll("input[name], textarea[name], select[name]")) {
          const fieldName = input.getAttribute("name")!;
          if (fieldName === "_csrf" || input.getAttribute("type") === "file") continue;
          fields[fieldName] = input.tagName === "SELECT" ? (input.querySelector("option")?.getAttribute("value") ?? "") : (input.getAttribute("value") ?? input.textContent ?? "");
        }
        forms.set(action, fields);
      }
    }
  }
  return forms;
}
