import { Create, Image, LanguageString, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import type { MadeReportRecord, MadeReportView, RemoteMadeReportInput } from "../../server/modules/made-reports/index.ts";
import { htmlToText, sanitizeHtml } from "../../server/platform/text/sanitize-html.ts";
import { escapeHtml } from "./html.ts";
import { toInstant } from "./temporal.ts";

/**
 * "Made here" reports between nodes (docs/made-here.md). A report is a ValueFlows `produce`
 * `EconomicEvent` (https://w3id.org/valueflows/ont/vf#EconomicEvent; the same `action` string
 * FEP-0837 uses) whose `resourceConformsTo` is the release built, with `hasPointInTime`, a
 * `toLocation` `Place`, `content` (the notes), `cn:deviations` and `Image` attachments whose `name`
 * is the alt text; it is sent in a `Create` by the reporting member.
 *
 * The object is typed `["Object", "EconomicEvent"]`: @fedify/vocab 2.3.6 throws on an object type it
 * has no class for (so a bare `EconomicEvent` could neither pass our outbox listener nor reach an inbox
 * listener), while an additional `Object` type parses as a plain `Object`, whose JSON Fedify keeps as
 * received. Other terms are compacted with MADE_REPORT_CONTEXT, inline, so no context is fetched.
 */

const LANGUAGE = "en";

export const MADE_REPORT_CONTEXT = {
  xsd: "http://www.w3.org/2001/XMLSchema#",
  vf: "https://w3id.org/valueflows/ont/vf#",
  cn: "https://w3id.org/commonsnet/ns#",
  EconomicEvent: "vf:EconomicEvent",
  action: "vf:action",
  provider: { "@id": "vf:provider", "@type": "@id" },
  resourceConformsTo: { "@id": "vf:resourceConformsTo", "@type": "@id" },
  hasPointInTime: { "@id": "vf:hasPointInTime", "@type": "xsd:dateTime" },
  toLocation: "vf:toLocation",
  deviations: "cn:deviations",
  facility: "cn:facility",
  directoryEntry: { "@id": "cn:directoryEntry", "@type": "@id" },
  designName: "cn:designName",
  releaseVersion: "cn:releaseVersion",
  forkChain: { "@id": "cn:forkChain", "@container": "@list" },
  release: { "@id": "cn:release", "@type": "@id" },
  design: { "@id": "cn:design", "@type": "@id" },
  host: "cn:host",
  licence: "cn:licence",
} as const;

const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const MADE_REPORT_CONTEXTS = [AS_CONTEXT, MADE_REPORT_CONTEXT] as const;

export interface MadeEventUris {
  /** The report (the event) and its `Create`. */
  readonly id: URL;
  readonly createId: URL;
  /** The reporting member's `Person` actor. */
  readonly reporter: URL;
  /** The design actors the event is addressed to (every design along the chain, origin first). */
  readonly designs: readonly URL[];
}

type MadeEventReport = MadeReportRecord;

/** The report as a `produce` EconomicEvent (without @context): embedded in its Create and in the made-here collection. */
export function toMadeEvent(report: MadeEventReport, uris: Omit<MadeEventUris, "createId">): Record<string, unknown> {
  const to = uris.designs.map((d) => d.href);
  const event: Record<string, unknown> = {
    id: uris.id.href,
    type: ["Object", "EconomicEvent"],
    action: "produce",
    provider: uris.reporter.href,
    attributedTo: uris.reporter.href,
    resourceConformsTo: report.releaseIri,
    hasPointInTime: report.madeAt.toISOString(),
    toLocation: { type: "Place", name: report.place, latitude: report.latitude, longitude: report.longitude },
    content: report.notesHtml,
    deviations: report.deviations,
    designName: report.designName,
    releaseVersion: report.version,
    forkChain: report.chain.map((link) => ({ release: link.release, design: link.design, name: link.name, host: link.host, licence: link.licence })),
    attachment: report.photos.map((p) => ({
      type: "Image",
      mediaType: p.mediaType,
      url: p.url,
      name: p.alt,
      ...(p.width !== null && { width: p.width }),
      ...(p.height !== null && { height: p.height }),
    })),
    published: report.receivedAt.toISOString(),
    to,
    cc: [PUBLIC_COLLECTION.href],
  };
  if (report.facility !== null) event.facility = report.facility;
  if (report.directoryEntryIri !== null) event.directoryEntry = report.directoryEntryIri;
  return event;
}

/** The report's `Create(EconomicEvent)` as sent: compact JSON-LD with MADE_REPORT_CONTEXT. */
export function toMadeEventCreate(report: MadeEventReport, uris: MadeEventUris): Record<string, unknown> {
  const event = toMadeEvent(report, uris);
  return {
    "@context": [...MADE_REPORT_CONTEXTS],
    id: uris.createId.href,
    type: "Create",
    actor: uris.reporter.href,
    object: event,
    published: event.published,
    to: event.to,
    cc: event.cc,
  };
}

/** The design's made-here collection (FEP-400e's target of such events), every event embedded, latest build first. */
export function toMadeCollection(id: URL, design: URL, events: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { "@context": [...MADE_REPORT_CONTEXTS], id: id.href, type: "OrderedCollection", attributedTo: design.href, totalItems: events.length, orderedItems: events };
}

const asArray = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const idOf = (v: unknown): string | undefined => str(v) ?? (v !== null && typeof v === "object" ? str((v as { id?: unknown }).id ?? (v as { "@id"?: unknown })["@id"]) : undefined);

/** Whether a received activity's JSON is a `Create` of a made-here event (its object's types include EconomicEvent). */
export function isMadeEventCreate(json: unknown): boolean {
  if (json === null || typeof json !== "object") return false;
  const { type, object } = json as { type?: unknown; object?: unknown };
  if (type !== "Create" || object === null || typeof object !== "object") return false;
  const types = asArray((object as { type?: unknown }).type);
  return types.includes("EconomicEvent") || types.includes("vf:EconomicEvent") || types.includes(`${MADE_REPORT_CONTEXT.vf}EconomicEvent`);
}

type MadeTerm = Exclude<keyof typeof MADE_REPORT_CONTEXT, "xsd" | "vf" | "cn" | "EconomicEvent">;

/** A term's full IRI (`action` → https://w3id.org/valueflows/ont/vf#action). */
function iriOf(term: MadeTerm): string {
  const definition: string | { "@id": string } = MADE_REPORT_CONTEXT[term];
  const [prefix, local] = (typeof definition === "string" ? definition : definition["@id"]).split(":") as [keyof typeof MADE_REPORT_CONTEXT, string];
  return `${MADE_REPORT_CONTEXT[prefix] as string}${local}`;
}

/**
 * A term of ours, as sent (compacted with MADE_REPORT_CONTEXT) or as Fedify hands it over after
 * verifying a Linked Data Signature: Fedify then parses the activity compacted against its own
 * contexts only, so our terms arrive under their full IRIs, with `{"id": …}` for IRIs, `{"@value": …}`
 * for typed literals and `{"@list": […]}` for lists.
 */
function termOf(node: Record<string, unknown>, term: MadeTerm): unknown {
  const value = node[term] ?? node[iriOf(term)];
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    if ("@list" in value) return (value as { "@list": unknown })["@list"];
    if ("@value" in value) return (value as { "@value": unknown })["@value"];
  }
  return value;
}

const recordOf = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The report a received `Create(EconomicEvent)` carries, as the input of RemoteMadeReportSchema, or
 * why it is not one. The reporter is the verified actor; the notes HTML is sanitised like any remote post.
 */
export function fromMadeEventCreate(json: Record<string, unknown>, actor: URL): RemoteMadeReportInput | string {
  const event = recordOf(json.object);
  if (termOf(event, "action") !== "produce") return `its action is ${JSON.stringify(termOf(event, "action"))}, not "produce"`;
  const place = recordOf(termOf(event, "toLocation"));
  const provider = idOf(termOf(event, "provider")) ?? idOf(event.attributedTo);
  if (provider !== undefined && provider !== actor.href) return `its provider ${provider} is not its actor`;
  return {
    iri: str(event.id) ?? "",
    releaseIri: idOf(termOf(event, "resourceConformsTo")) ?? "",
    designName: str(termOf(event, "designName")) ?? "",
    version: str(termOf(event, "releaseVersion")) ?? "",
    reporterIri: actor.href,
    reporterName: "",
    place: str(place.name) ?? "",
    latitude: place.latitude as number,
    longitude: place.longitude as number,
    madeAt: str(termOf(event, "hasPointInTime")) as string,
    facility: str(termOf(event, "facility")) ?? null,
    directoryEntry: idOf(termOf(event, "directoryEntry")) ?? null,
    notesHtml: sanitizeHtml(str(event.content) ?? ""),
    deviations: str(termOf(event, "deviations")) ?? "",
    photos: asArray(event.attachment).flatMap((a) => {
      const item = recordOf(a);
      const url = idOf(item.url) ?? (Array.isArray(item.url) ? idOf(item.url[0]) : undefined) ?? str(recordOf(item.url).href);
      // Only images are photos of a build; anything else attached is left out, not a reason to refuse the report.
      const mediaType = str(item.mediaType) ?? "";
      if (url === undefined || !/^image\/[a-z0-9.+-]+$/.test(mediaType)) return [];
      return [{ url, mediaType, alt: str(item.name) ?? "", width: typeof item.width === "number" ? item.width : null, height: typeof item.height === "number" ? item.height : null }];
    }),
    chain: asArray(termOf(event, "forkChain")).map((l) => {
      const link = recordOf(l);
      return {
        release: idOf(termOf(link, "release")) ?? "",
        design: idOf(termOf(link, "design")) ?? "",
        name: str(link.name) ?? "",
        host: str(termOf(link, "host")) ?? "",
        licence: str(termOf(link, "licence")) ?? "",
      };
    }),
  };
}

export interface MadeNoteUris {
  readonly id: URL;
  /** The design actor, which posts the Note, and its followers. */
  readonly design: URL;
  readonly followers: URL;
  /** Where readers go: the release built (its page), when it is ours, else the design's made-here list. */
  readonly url: URL;
}

const EXCERPT_MAX = 280;

/** "Made in Lyon: Solar dryer 2.1.0 — Built three for the roof garden…", as HTML Mastodon keeps. */
export function madeNoteHtml(report: MadeReportView, designName: string): string {
  const name = [report.designName || designName, report.version].filter((v) => v !== "").join(" ");
  const notes = htmlToText(report.notesHtml).replace(/\s+/g, " ").trim();
  const excerpt = notes.length > EXCERPT_MAX ? `${notes.slice(0, EXCERPT_MAX - 1).trimEnd()}…` : notes;
  const headline = `Made in ${escapeHtml(report.place)}: ${escapeHtml(name)}${excerpt === "" ? "" : ` — ${escapeHtml(excerpt)}`}`;
  return `<p>${headline}</p>`;
}

/** The design actor's Note about a build, public, with the photos (Mastodon shows Image attachments with `name` as alt). */
export function toMadeNote(report: MadeReportView, designName: string, uris: MadeNoteUris): Note {
  const html = madeNoteHtml(report, designName);
  return new Note({
    id: uris.id,
    url: uris.url,
    attribution: uris.design,
    published: toInstant(report.receivedAt),
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    contents: [html, new LanguageString(html, LANGUAGE)],
    sensitive: false,
    attachments: report.photos.map((p) => new Image({ url: new URL(p.url), mediaType: p.mediaType, name: p.alt || null, width: p.width, height: p.height })),
  });
}

export function toMadeNoteCreate(note: Note, report: MadeReportView, uris: MadeNoteUris): Create {
  return new Create({
    id: new URL(`${uris.id.href}#create`),
    actor: uris.design,
    object: note,
    tos: [PUBLIC_COLLECTION],
    ccs: [uris.followers],
    published: toInstant(report.receivedAt),
  });
}
