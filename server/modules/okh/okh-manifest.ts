import { type OkhFileKey, okhKeyOf } from "./file-roles.ts";
import type { OkhDesign, OkhLinks, OkhRelease } from "./okh-types.ts";
import { readinessLevel } from "./readiness-levels.ts";
import { type TomlTable, type TomlValue, writeToml } from "./toml-writer.ts";

/** The OKH-LOSH specification version our manifests follow (its `okhv` field). */
export const OKHV = "OKH-LOSHv1.0";

/**
 * An OKH-LOSH manifest of one release, as data, in the template's order
 * (https://github.com/OPEN-NEXT/OKH-LOSH/blob/master/sample_data/okh-TEMPLATE.toml). Files are
 * referenced by their release names, relative to the manifest, as they sit beside it in the release
 * zip. Keys OKH-LOSH has no field for (description, keywords, documentation-license, release-notes,
 * and a part's quantity, unit, supplier and link) are ours; OKH crawlers ignore keys they do not
 * know, and our import reads them back (docs/designs.md#open-know-how).
 */
export function toOkhManifest(design: OkhDesign, release: OkhRelease, links: OkhLinks): TomlTable {
  const files = filesByKey(release);
  return {
    okhv: OKHV,
    name: design.name,
    repo: links.repo,
    version: release.version,
    release: links.release,
    license: release.licence,
    "documentation-license": release.documentationLicence,
    licensor: nonEmpty(design.licensor),
    organization: links.organization,
    readme: files.readme,
    image: files.image,
    function: nonEmpty(design.function),
    description: nonEmpty(design.summaryMarkdown),
    keywords: design.tags.length > 0 ? [...design.tags] : undefined,
    "technology-readiness-level": readinessLevel("OTRL", release.trl),
    "documentation-readiness-level": readinessLevel("ODRL", release.drl),
    "fork-of": release.forkOf ?? design.forkOf,
    "release-notes": nonEmpty(release.notesMarkdown),
    bom: files.bom,
    "manufacturing-instructions": files["manufacturing-instructions"],
    "user-manual": files["user-manual"],
    source: files.source,
    export: files.export,
    auxiliary: files.auxiliary,
    part: release.bom.length > 0 ? release.bom.map(toPart) : undefined,
  };
}

/** The manifest as TOML text. */
export function toOkhToml(design: OkhDesign, release: OkhRelease, links: OkhLinks): string {
  const header = `# Open Know-How manifest (OKH-LOSH) of ${oneLine(design.name)} ${oneLine(release.version)}\n# ${oneLine(links.release)}\n`;
  return header + writeToml(toOkhManifest(design, release, links));
}

function toPart(line: OkhRelease["bom"][number]): TomlTable {
  return { name: line.part, quantity: line.quantity, unit: line.unit, material: line.material, supplier: line.source, link: line.link };
}

/** One file is a string, several an array, as the template writes `source = "x.scad"` and `export = ["x.pdf", "x.stl"]`. */
function filesByKey(release: OkhRelease): Partial<Record<OkhFileKey, TomlValue>> {
  const names = new Map<OkhFileKey, string[]>();
  for (const file of release.files) {
    const key = okhKeyOf(file);
    names.set(key, [...(names.get(key) ?? []), file.name]);
  }
  return Object.fromEntries([...names].map(([key, list]) => [key, list.length === 1 ? list[0]! : list]));
}

const nonEmpty = (value: string): string | undefined => (value.trim() === "" ? undefined : value);
/** A comment line cannot hold a line break or other control characters (TOML 1.0 "Comment"). */
const oneLine = (value: string): string => value.toWellFormed().replace(/[\u0000-\u001f\u007f]+/g, " ");
