/**
 * OKH-LOSH writes readiness levels as `OTRL-n` (technology) and `ODRL-n` (documentation; `ODRL-3*`
 * marks an attested level), the individuals of https://w3id.org/oseg/ont/otrl. The manifest always
 * carries the prefixed form; an import also accepts the bare level ("4") and leaves the check of the
 * value to the designs module's TrlSchema and DrlSchema.
 */
export function readinessLevel(prefix: "OTRL" | "ODRL", value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const level = value.trim().replace(new RegExp(`^${prefix}-`, "i"), "");
  return `${prefix}-${level}`;
}
