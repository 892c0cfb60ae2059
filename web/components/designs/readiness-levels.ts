import { DRL_VALUES, TRL_VALUES } from "../../../server/modules/designs/index.ts";

/**
 * The names of the OKH-LOSH readiness levels, from the OTRL/ODRL ontology
 * (https://w3id.org/oseg/ont/otrl), shown beside the ids the designs schema accepts. Levels the
 * ontology's current version does not name show as their id alone.
 */
const NAMES: Readonly<Record<string, string>> = {
  "OTRL-1": "Ideation",
  "OTRL-2": "Conception",
  "OTRL-3": "Development",
  "OTRL-4": "Prototyping and testing",
  "OTRL-5": "Manufacturing development",
  "OTRL-6": "Product qualification",
  "ODRL-1": "Documentation process commenced",
  "ODRL-2": "Collaborative documentation in progress",
  "ODRL-3": "Full documentation published",
  "ODRL-3*": "Full documentation published and audited",
  "ODRL-4": "Full documentation for product qualification",
};

export interface ReadinessLevel {
  readonly id: string;
  readonly label: string;
}

const level = (id: string): ReadinessLevel => ({ id, label: NAMES[id] ?? "" });

/** What the new-release form offers: exactly the values the release schema takes. */
export const TECHNOLOGY_READINESS_LEVELS: readonly ReadinessLevel[] = TRL_VALUES.map(level);
export const DOCUMENTATION_READINESS_LEVELS: readonly ReadinessLevel[] = DRL_VALUES.map(level);

/** "OTRL-4: Prototyping and testing", or the id alone for a level without a name. */
export function readinessLabel(id: string): string {
  const name = NAMES[id];
  return name ? `${id}: ${name}` : id;
}
