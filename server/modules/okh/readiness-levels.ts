/**
 * OKH-LOSH writes readiness levels as `OTRL-n` (technology, https://w3id.org/oseg/ont/otrl) and
 * `ODRL-n` (documentation; `ODRL-3*` marks an attested level). A release may hold the bare level
 * ("4"); the manifest always carries the prefixed form, and an import accepts either.
 */
export function readinessLevel(prefix: "OTRL" | "ODRL", value: string | null): string | undefined {
  if (value === null || value.trim() === "") return undefined;
  const level = value.trim().replace(new RegExp(`^${prefix}-`, "i"), "");
  return `${prefix}-${level}`;
}

/** Whether a value is a readiness level of that scale: 1 to 8 as in the OTRL/ODRL ontologies, with ODRL's optional `*`. */
export function isReadinessLevel(prefix: "OTRL" | "ODRL", value: string): boolean {
  const pattern = prefix === "OTRL" ? /^OTRL-[1-8]$/i : /^ODRL-[1-5]\*?$/i;
  return pattern.test(value.trim()) || pattern.test(`${prefix}-${value.trim()}`);
}
