import { type Context, Hono } from "hono";
import { accepts } from "hono/accepts";
import type { z } from "zod";
import type { AppDeps, AppEnv } from "../../server/http/app-env.ts";
import { requireAdmin } from "../../server/http/viewer.ts";
import { notFound } from "../../server/platform/errors.ts";
import { NODE_ACTOR_HANDLE } from "../../server/modules/actors/handle.schema.ts";
import type { CharterVersion } from "../../server/modules/charter/index.ts";
import { type CharterDocument, CharterUpdateSchema } from "../../server/modules/charter/charter.schema.ts";
import { toCharterDocument } from "../../federation/translate/charter.ts";
import { actorPagePath, CHARTER_PATH, charterVersionPath } from "../../federation/uris.ts";
import { formText } from "../form-values.ts";
import { pageContext } from "../page-context.ts";
import type { FieldErrors } from "../pages/account-form.ts";
import { CharterDiffPage } from "../pages/charter-diff-page.ts";
import { type CharterFormValues, CharterFormPage } from "../pages/charter-form-page.ts";
import { CharterPage } from "../pages/charter-page.ts";
import { loginRedirect } from "../sign-in-redirect.ts";

const HTML = "text/html";
const JSON_TYPES = ["application/activity+json", "application/ld+json", "application/json"] as const;

/**
 * The charter's stable URLs, content-negotiated: `/charter` (the version in force) and `/charter/v{n}`
 * serve JSON-LD to ActivityPub and JSON clients and a page to browsers; `/charter/diff` compares
 * versions; `/admin/charter` is the admins' form, which appends a version.
 */
export function createCharterRoutes(deps: AppDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { config } = deps;
  const { charter } = deps.services;
  const absolute = (path: string) => new URL(path, config.publicUrl);

  const serve = async (c: Context<AppEnv>, version: CharterVersion, current: CharterVersion) => {
    c.header("Vary", "Accept");
    const type = accepts(c, { header: "Accept", supports: [HTML, ...JSON_TYPES], default: HTML });
    if (type !== HTML) {
      const document = toCharterDocument(
        version,
        {
          id: absolute(charterVersionPath(version.version)),
          current: absolute(CHARTER_PATH),
          supersedes: version.version > 1 ? absolute(charterVersionPath(version.version - 1)) : null,
          nodeActor: absolute(actorPagePath(NODE_ACTOR_HANDLE)),
        },
        config.nodeName,
      );
      const contentType = type === "application/ld+json" ? 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' : type;
      return c.body(JSON.stringify(document), 200, { "Content-Type": contentType });
    }
    const history = await charter.history();
    const shown = { ...version, url: absolute(charterVersionPath(version.version)).href };
    return c.html(CharterPage({ page: pageContext(c, deps), charter: shown, currentVersion: current.version, history }));
  };

  routes.get(CHARTER_PATH, async (c) => {
    const current = await charter.current();
    return await serve(c, current, current);
  });

  routes.get("/charter/:version{v[0-9]{1,9}}", async (c) => {
    const current = await charter.current();
    const version = await charter.version(Number(c.req.param("version").slice(1)));
    if (version === undefined) throw notFound(`There is no version ${c.req.param("version").slice(1)} of this charter.`);
    return await serve(c, version, current);
  });

  routes.get("/charter/diff", async (c) => {
    const current = await charter.current();
    const to = versionNumber(c.req.query("to")) ?? current.version;
    const from = versionNumber(c.req.query("from")) ?? Math.max(1, to - 1);
    const diff = await charter.diff(from, to);
    if (diff === undefined) throw notFound(`Compare versions between 1 and ${current.version}: there is no version ${from > current.version ? from : to}.`);
    const versions = (await charter.history()).map((v) => v.version);
    return c.html(CharterDiffPage({ page: pageContext(c, deps), from, to, versions, changes: diff.changes }));
  });

  const renderForm = async (c: Context<AppEnv>, status: 200 | 409 | 422, values: CharterFormValues | null, errors: FieldErrors) => {
    const current = await charter.current();
    const saved = versionNumber(c.req.query("saved"));
    const unchanged = versionNumber(c.req.query("unchanged"));
    const notice = saved !== undefined ? { version: saved, changed: true } : unchanged !== undefined ? { version: unchanged, changed: false } : null;
    return c.html(CharterFormPage({ page: pageContext(c, deps), currentVersion: current.version, values: values ?? formValuesOf(current), errors, notice }), status);
  };

  routes.get("/admin/charter", async (c) => {
    if (!c.get("viewer")) return loginRedirect(c);
    requireAdmin(c);
    return await renderForm(c, 200, null, {});
  });

  routes.post("/admin/charter", async (c) => {
    const admin = requireAdmin(c);
    const values = formValuesFrom(await c.req.parseBody({ all: true }));
    const parsed = CharterUpdateSchema.safeParse(updateInputOf(values));
    if (!parsed.success) return await renderForm(c, 422, values, charterFieldErrors(parsed.error));
    const result = await charter.revise(parsed.data, { accountId: admin.id, handle: admin.handle });
    if (result.outcome === "conflict") {
      return await renderForm(c, 409, { ...formValuesOf(result.current), note: values.note }, { form: `${result.message} The form now shows version ${result.current.version}.` });
    }
    if (result.outcome === "unchanged") return c.redirect(`/admin/charter?unchanged=${result.version.version}`, 303);
    return c.redirect(`/admin/charter?saved=${result.version.version}`, 303);
  });

  return routes;
}

function versionNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : undefined;
}

const lines = (items: readonly string[]) => items.join("\n");
/** One item per line (commas also separate); spaces inside a line stay, so "not a host" is reported whole. */
const items = (text: string) => text.split(/[\r\n,]+/).map((item) => item.trim()).filter((item) => item !== "");

/** The form as filled in from a version (editing starts from the rules in force). */
function formValuesOf(version: CharterVersion): CharterFormValues {
  const d: CharterDocument = version.document;
  return {
    registration: d.registration,
    federationMode: d.federation.mode,
    allow: lines(d.federation.allow),
    block: lines(d.federation.block),
    acceptKinds: d.directory.acceptKinds,
    hopLimit: String(d.directory.hopLimit),
    licences: lines(d.licences),
    moderation: d.moderation,
    contact: d.contact,
    note: "",
    basedOn: String(version.version),
  };
}

function formValuesFrom(body: Record<string, unknown>): CharterFormValues {
  const kinds = body.acceptKinds;
  return {
    registration: formText(body, "registration"),
    federationMode: formText(body, "federationMode"),
    allow: formText(body, "allow"),
    block: formText(body, "block"),
    acceptKinds: (Array.isArray(kinds) ? kinds : [kinds]).filter((k): k is string => typeof k === "string"),
    hopLimit: formText(body, "hopLimit").trim(),
    licences: formText(body, "licences"),
    moderation: formText(body, "moderation"),
    contact: formText(body, "contact"),
    note: formText(body, "note"),
    basedOn: formText(body, "basedOn").trim(),
  };
}

/** The form's text as the API's input, so both go through the one schema. */
function updateInputOf(values: CharterFormValues): unknown {
  const hopLimit = values.hopLimit === "" ? undefined : /^-?\d+(?:\.\d+)?$/.test(values.hopLimit) ? Number(values.hopLimit) : values.hopLimit;
  return {
    registration: values.registration,
    federation: { mode: values.federationMode, allow: items(values.allow), block: items(values.block) },
    directory: { acceptKinds: values.acceptKinds, hopLimit },
    licences: items(values.licences),
    moderation: values.moderation.replace(/\r\n?/g, "\n"),
    contact: values.contact,
    note: values.note,
    basedOn: versionNumber(values.basedOn),
  };
}

/** The form field each part of the charter is edited in. */
const FIELD_OF: Record<string, string> = {
  registration: "registration",
  "federation.mode": "federationMode",
  "federation.allow": "allow",
  "federation.block": "block",
  "directory.acceptKinds": "acceptKinds",
  "directory.hopLimit": "hopLimit",
  licences: "licences",
  moderation: "moderation",
  contact: "contact",
  note: "note",
};

function charterFieldErrors(error: z.ZodError): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.filter((p) => typeof p === "string").join(".");
    const field = FIELD_OF[path] ?? FIELD_OF[path.split(".")[0] ?? ""] ?? "form";
    errors[field] ??= issue.message;
  }
  return errors;
}
