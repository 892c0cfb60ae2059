import { type OkhFileKey, okhKeyOf } from "./file-roles.ts";
import { OKHV } from "./okh-manifest.ts";
import type { OkhDesign, OkhLinks, OkhRelease } from "./okh-types.ts";
import { readinessLevel } from "./readiness-levels.ts";

/**
 * The prefixes of the manifest as linked data: the OKH-LOSH ontology (https://w3id.org/oseg/ont/okh,
 * OKH-LOSH.ttl), its readiness levels (otrl: holds both the OTRL and ODRL individuals), SPDX licence
 * IRIs (https://spdx.org/licenses/), schema.org for names, sizes and checksums, and ours for the BOM
 * fields OKH has no property for.
 */
export const OKH_JSONLD_CONTEXT = {
  okh: "https://w3id.org/oseg/ont/okh#",
  otrl: "https://w3id.org/oseg/ont/otrl#",
  spdxl: "http://spdx.org/licenses/",
  schema: "http://schema.org/",
  cn: "https://w3id.org/commonsnet/ns#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
} as const;

/** The OKH class of a file of each role (OKH-LOSH.ttl), and the property a module links it with. */
const FILE_CLASSES: Record<OkhFileKey, { type: string; property: string }> = {
  readme: { type: "okh:Readme", property: "okh:hasReadme" },
  bom: { type: "okh:BoM", property: "okh:hasBoM" },
  image: { type: "okh:Image", property: "okh:hasImage" },
  source: { type: "okh:SourceFile", property: "okh:hasSource" },
  export: { type: "okh:ExportFile", property: "okh:hasExport" },
  "manufacturing-instructions": { type: "okh:ManufacturingInstructions", property: "okh:hasManufacturingInstructions" },
  "user-manual": { type: "okh:UserManual", property: "okh:hasUserManual" },
  auxiliary: { type: "okh:File", property: "okh:hasAuxiliary" },
};

type JsonLd = { readonly [key: string]: unknown };

/**
 * The same manifest as `toOkhManifest`, as an `okh:Module` node in JSON-LD: what LOSH's crawler
 * would make of our okh.toml, served so linked-data tools need not parse TOML. The module's id is
 * the release's IRI with `#okh`, so it never collides with the ActivityPub `Release` at the same URL.
 */
export function toOkhJsonLd(design: OkhDesign, release: OkhRelease, links: OkhLinks): JsonLd {
  const module: Record<string, unknown> = {
    "@context": OKH_JSONLD_CONTEXT,
    "@id": `${release.iri}#okh`,
    "@type": "okh:Module",
    "okh:okhv": OKHV,
    "okh:name": design.name,
    "okh:repo": { "@id": links.repo },
    "okh:version": release.version,
    "okh:release": { "@id": links.release },
    "okh:spdxLicense": { "@id": `spdxl:${release.licence}` },
    "schema:datePublished": { "@value": release.publishedAt.toISOString(), "@type": "xsd:dateTime" },
  };
  if (release.documentationLicence !== null) module["cn:documentationLicense"] = { "@id": `spdxl:${release.documentationLicence}` };
  if (design.licensor.trim() !== "") module["okh:licensor"] = design.licensor;
  if (links.organization !== undefined) module["okh:organization"] = links.organization;
  if (design.function.trim() !== "") module["okh:function"] = design.function;
  if (design.summaryMarkdown.trim() !== "") module["schema:description"] = design.summaryMarkdown;
  if (design.tags.length > 0) module["schema:keywords"] = [...design.tags];
  const trl = readinessLevel("OTRL", release.trl);
  if (trl !== undefined) module["okh:technologyReadinessLevel"] = { "@id": `otrl:${trl}` };
  const drl = readinessLevel("ODRL", release.drl);
  if (drl !== undefined) module["okh:documentationReadinessLevel"] = { "@id": `otrl:${drl}` };
  const forkOf = release.forkOf ?? design.forkOf;
  if (forkOf !== null) module["okh:forkOf"] = { "@id": forkOf };
  if (release.notesMarkdown.trim() !== "") module["schema:releaseNotes"] = release.notesMarkdown;
  if (links.archive !== undefined) module["okh:repoSnapshot"] = { "@id": links.archive };
  if (links.design !== undefined) module["okh:versionOf"] = { "@id": links.design };

  for (const file of release.files) {
    const { type, property } = FILE_CLASSES[okhKeyOf(file)];
    const node = {
      "@id": file.url,
      "@type": type,
      "schema:name": file.name,
      "schema:encodingFormat": file.mediaType,
      "schema:contentSize": file.size,
      "schema:sha256": file.sha256,
    };
    module[property] = [...((module[property] as unknown[] | undefined) ?? []), node];
  }
  if (release.bom.length > 0) {
    module["okh:hasComponent"] = release.bom.map((line) => ({
      "@type": "okh:Part",
      "okh:name": line.part,
      "cn:quantity": line.quantity,
      "cn:unit": line.unit,
      ...(line.material === null ? {} : { "okh:material": line.material }),
      ...(line.source === null ? {} : { "cn:supplier": line.source }),
      ...(line.link === null ? {} : { "schema:url": { "@id": line.link } }),
    }));
  }
  return module;
}

