import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Create } from "@fedify/vocab";
import { fromMadeEventCreate, isMadeEventCreate, madeNoteHtml, toMadeEventCreate, toMadeNote, toMadeNoteCreate } from "../../federation/translate/made-report.ts";
import type { MadeReportView } from "../../server/modules/made-reports/index.ts";
import { RemoteMadeReportSchema } from "../../server/modules/made-reports/index.ts";
import { assertGolden } from "../projects/golden.ts";

/**
 * The made-here translators are pure: the event and the Note are pinned by golden files, and the
 * intake reads the event back both as sent and as Fedify hands it over after an LD signature check.
 */

const C = "https://c.example";
const report: MadeReportView = {
  id: "01a23779-0bd3-7c8f-b278-1097b14500b6",
  iri: `${C}/made/01a23779-0bd3-7c8f-b278-1097b14500b6`,
  releaseIri: `${C}/@dryer-lyon/releases/1.0.0`,
  designName: "Solar dryer (Lyon)",
  version: "1.0.0",
  designActorId: 7,
  localReleaseId: "01a23779-0000-7000-8000-000000000001",
  reporterIri: `${C}/@ines`,
  reporterName: "Inès",
  place: "Lyon",
  latitude: 45.764,
  longitude: 4.8357,
  facility: "Atelier Soleil",
  directoryEntryIri: null,
  madeAt: new Date("2026-10-02T15:00:00Z"),
  notesHtml: "<p>Built <strong>three</strong> for the roof garden &amp; the school.</p>",
  deviations: "Float glass instead of polycarbonate.",
  photos: [{ url: `${C}/media/1.webp`, mediaType: "image/webp", alt: "Three dryers on a roof", width: 640, height: 400 }],
  chain: [
    { release: "https://a.example/@dryer/releases/2.1.0", design: "https://a.example/@dryer", name: "Solar dryer", host: "a.example", licence: "CERN-OHL-S-2.0" },
    { release: `${C}/@dryer-lyon/releases/1.0.0`, design: `${C}/@dryer-lyon`, name: "Solar dryer (Lyon)", host: "c.example", licence: "CERN-OHL-S-2.0" },
  ],
  originHost: "c.example",
  receivedAt: new Date("2026-10-03T08:00:00Z"),
};

const eventUris = {
  id: new URL(report.iri),
  createId: new URL(`${report.iri}/activity`),
  reporter: new URL(`${C}/@ines`),
  designs: report.chain.map((l) => new URL(l.design)),
};

describe("made-here translators", () => {
  test("the Create(EconomicEvent) as sent is pinned, and Fedify's vocabulary parses it", async () => {
    const json = toMadeEventCreate(report, eventUris);
    assertGolden("made-event-create", json);
    assert.ok(isMadeEventCreate(json));
    const parsed = await Create.fromJsonLd(json);
    assert.equal(parsed.objectId?.href, report.iri);
  });

  test("the event reads back as the same report, as sent and as Fedify compacts it after an LD signature check", () => {
    const sent = toMadeEventCreate(report, eventUris);
    const fromSent = RemoteMadeReportSchema.parse(fromMadeEventCreate(sent, eventUris.reporter));
    const expected = {
      iri: report.iri,
      releaseIri: report.releaseIri,
      designName: report.designName,
      version: "1.0.0",
      place: "Lyon",
      latitude: 45.764,
      longitude: 4.8357,
      madeAt: report.madeAt,
      facility: "Atelier Soleil",
      deviations: report.deviations,
      photos: report.photos,
      chain: report.chain,
    };
    assert.deepEqual({ ...pick(fromSent, expected) }, expected);

    // The shape Fedify 2.3.6 passes to listeners once an LD signature verified (compacted with its own contexts).
    const vf = "https://w3id.org/valueflows/ont/vf#";
    const cn = "https://w3id.org/commonsnet/ns#";
    const compacted = {
      "@context": ["https://w3id.org/identity/v1", "https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", "https://w3id.org/security/data-integrity/v1"],
      id: `${report.iri}/activity`,
      type: "Create",
      actor: `${C}/@ines`,
      object: {
        id: report.iri,
        type: ["Object", `${vf}EconomicEvent`],
        content: report.notesHtml,
        attachment: [{ type: "Image", mediaType: "image/webp", url: `${C}/media/1.webp`, name: "Three dryers on a roof", width: 640, height: 400 }],
        attributedTo: `${C}/@ines`,
        [`${vf}action`]: "produce",
        [`${vf}provider`]: { id: `${C}/@ines` },
        [`${vf}resourceConformsTo`]: { id: report.releaseIri },
        [`${vf}hasPointInTime`]: { type: "xsd:dateTime", "@value": "2026-10-02T15:00:00.000Z" },
        [`${vf}toLocation`]: { type: "Place", name: "Lyon", latitude: 45.764, longitude: 4.8357 },
        [`${cn}facility`]: "Atelier Soleil",
        [`${cn}deviations`]: report.deviations,
        [`${cn}designName`]: report.designName,
        [`${cn}releaseVersion`]: "1.0.0",
        [`${cn}forkChain`]: {
          "@list": report.chain.map((l) => ({ name: l.name, [`${cn}host`]: l.host, [`${cn}design`]: { id: l.design }, [`${cn}licence`]: l.licence, [`${cn}release`]: { id: l.release } })),
        },
      },
    };
    assert.ok(isMadeEventCreate(compacted));
    const fromCompacted = RemoteMadeReportSchema.parse(fromMadeEventCreate(compacted, eventUris.reporter));
    assert.deepEqual({ ...pick(fromCompacted, expected) }, expected);
  });

  test("an event whose provider is not its actor, or whose action is not produce, is refused with the reason", () => {
    const sent = toMadeEventCreate(report, eventUris);
    assert.match(String(fromMadeEventCreate(sent, new URL("https://elsewhere.example/@mallory"))), /provider .* is not its actor/);
    const consume = { ...sent, object: { ...(sent.object as object), action: "consume" } };
    assert.match(String(fromMadeEventCreate(consume, eventUris.reporter)), /not "produce"/);
    const withDocument = { ...sent, object: { ...(sent.object as object), attachment: [{ type: "Document", mediaType: "text/plain", url: `${C}/notes.txt` }] } };
    assert.deepEqual(RemoteMadeReportSchema.parse(fromMadeEventCreate(withDocument, eventUris.reporter)).photos, [], "a non-image attachment is left out, the report kept");
  });

  test("the design's Note is pinned: the place, the release and a notes excerpt, with the photo's alt text", async () => {
    assert.equal(madeNoteHtml(report, "ignored"), "<p>Made in Lyon: Solar dryer (Lyon) 1.0.0 — Built three for the roof garden &#38; the school.</p>");
    const uris = { id: new URL(`${C}/@dryer-lyon/made/${report.id}`), design: new URL(`${C}/@dryer-lyon`), followers: new URL(`${C}/@dryer-lyon/followers`), url: new URL(report.releaseIri) };
    const create = toMadeNoteCreate(toMadeNote(report, "Solar dryer (Lyon)", uris), report, uris);
    assertGolden("made-note-create", await create.toJsonLd({ format: "compact" }));
  });
});

function pick<T extends Record<string, unknown>>(from: Record<string, unknown>, keys: T): T {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, from[k]])) as T;
}
