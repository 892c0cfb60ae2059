/**
 * The OKH-LOSH readiness levels with their names, from the OTRL/ODRL ontology
 * (https://w3id.org/oseg/ont/otrl): what the new-release form offers and the release page explains.
 */
export const TECHNOLOGY_READINESS_LEVELS = [
  { id: "OTRL-1", label: "Ideation" },
  { id: "OTRL-2", label: "Conception" },
  { id: "OTRL-3", label: "Development" },
  { id: "OTRL-4", label: "Prototyping and testing" },
  { id: "OTRL-5", label: "Manufacturing development" },
  { id: "OTRL-6", label: "Product qualification" },
] as const;

export const DOCUMENTATION_READINESS_LEVELS = [
  { id: "ODRL-1", label: "Documentation process commenced" },
  { id: "ODRL-2", label: "Collaborative documentation in progress" },
  { id: "ODRL-3", label: "Full documentation published" },
  { id: "ODRL-3*", label: "Full documentation published and audited" },
  { id: "ODRL-4", label: "Full documentation for product qualification" },
] as const;

/** "OTRL-4: Prototyping and testing", or the id alone for a level we do not know. */
export function readinessLabel(id: string): string {
  const level = [...TECHNOLOGY_READINESS_LEVELS, ...DOCUMENTATION_READINESS_LEVELS].find((l) => l.id === id);
  return level ? `${level.id}: ${level.label}` : id;
}
