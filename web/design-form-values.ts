import { formText } from "./form-values.ts";
import type { MadeFormValues } from "./components/designs/made-report-form.ts";
import { MADE_PHOTO_SLOTS } from "./components/designs/made-report-form.ts";
import type { DesignFormValues } from "./pages/design-form-page.ts";
import type { BomRowValues, ReleaseFormValues } from "./pages/release-form-page.ts";

/** The new-design form as typed. */
export function designFormValues(body: Record<string, unknown>): DesignFormValues {
  return {
    handle: formText(body, "handle"),
    name: formText(body, "name"),
    summary: formText(body, "summary"),
    function: formText(body, "function"),
    tags: formText(body, "tags"),
    licence: formText(body, "licence"),
    documentationLicence: formText(body, "documentationLicence"),
    licensor: formText(body, "licensor"),
    project: formText(body, "project"),
  };
}

/** The schema's input (CreateDesignInput): empty optional fields are left out rather than sent as "". */
export function designInputFromForm(values: DesignFormValues): Record<string, unknown> {
  const optional = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return {
    handle: values.handle.trim(),
    name: values.name,
    summary: values.summary,
    function: values.function,
    tags: values.tags.split(/[\s,]+/).map((t) => t.replace(/^#/, "")).filter((t) => t !== ""),
    licence: values.licence.trim(),
    documentationLicence: optional(values.documentationLicence),
    licensor: values.licensor,
    project: optional(values.project),
  };
}

const BOM_FIELDS = ["part", "quantity", "unit", "material", "source", "link"] as const;

/** The new-release form as typed; BOM rows come as bomPart0, bomQuantity0… up to the last row sent. */
export function releaseFormValues(fields: ReadonlyMap<string, string>): ReleaseFormValues {
  const bom: BomRowValues[] = [];
  for (let i = 0; fields.has(`bomPart${i}`); i += 1) {
    const row = Object.fromEntries(BOM_FIELDS.map((key) => [key, fields.get(`bom${key[0]!.toUpperCase()}${key.slice(1)}${i}`) ?? ""])) as unknown as BomRowValues;
    bom.push(row);
  }
  return { version: fields.get("version") ?? "", notes: fields.get("notes") ?? "", trl: fields.get("trl") ?? "", drl: fields.get("drl") ?? "", bom };
}

/**
 * The schema's input (ReleaseInput), as the script sends it to the API: empty rows are left out, so
 * each BOM error's index is the row's position among the filled ones; `rowIndex` maps it back.
 */
export function releaseInputFromForm(values: ReleaseFormValues): { input: Record<string, unknown>; rowIndex: number[] } {
  const rowIndex: number[] = [];
  const bom = values.bom.flatMap((row, i) => {
    if (BOM_FIELDS.every((key) => row[key].trim() === "")) return [];
    rowIndex.push(i);
    const quantity = row.quantity.trim().replace(",", ".");
    return [{
      part: row.part.trim(),
      quantity: quantity === "" ? quantity : Number(quantity),
      unit: row.unit.trim(),
      material: row.material.trim() || null,
      source: row.source.trim() || null,
      link: row.link.trim() || null,
    }];
  });
  const input: Record<string, unknown> = { version: values.version.trim(), notes: values.notes, bom };
  if (values.trl) input.trl = values.trl;
  if (values.drl) input.drl = values.drl;
  return { input, rowIndex };
}

/** The report-a-build form as typed. */
export function madeFormValues(body: Record<string, unknown>): MadeFormValues {
  return {
    place: formText(body, "place"),
    latitude: formText(body, "latitude"),
    longitude: formText(body, "longitude"),
    madeAt: formText(body, "madeAt"),
    facility: formText(body, "facility"),
    directoryEntry: formText(body, "directoryEntry"),
    notes: formText(body, "notes"),
    deviations: formText(body, "deviations"),
    alts: Array.from({ length: MADE_PHOTO_SLOTS }, (_, i) => formText(body, `alt${i}`)),
  };
}
