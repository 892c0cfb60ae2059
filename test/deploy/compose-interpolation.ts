import type { YamlValue } from "./yaml-subset.ts";

/**
 * Docker Compose's variable interpolation, for the deployment tests: `$$`, `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`.
 * A missing required variable throws with Compose's own wording, as `docker compose up` would refuse.
 */
export type Variables = Readonly<Record<string, string | undefined>>;

const PATTERN = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}$]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function interpolate(text: string, vars: Variables): string {
  return text.replace(PATTERN, (whole, dollar, braced, operator, argument, bare) => {
    if (dollar !== undefined) return "$";
    const name = (braced ?? bare) as string;
    const value = vars[name];
    const unset = value === undefined;
    const emptyOrUnset = unset || value === "";
    switch (operator as string | undefined) {
      case undefined:
        return value ?? "";
      case ":-":
        return emptyOrUnset ? argument : value!;
      case "-":
        return unset ? argument : value;
      case ":?":
      case "?":
        if (operator === ":?" ? emptyOrUnset : unset) throw new Error(`required variable ${name} is missing a value: ${argument}`);
        return value!;
      case ":+":
        return emptyOrUnset ? "" : argument;
      case "+":
        return unset ? "" : argument;
      default:
        throw new Error(`Unsupported interpolation ${whole}`);
    }
  });
}

/** Interpolates every string value of a parsed compose file (keys are not interpolated). */
export function interpolateTree(value: YamlValue, vars: Variables): YamlValue {
  if (typeof value === "string") return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((item) => interpolateTree(item, vars));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateTree(item, vars)]));
  }
  return value;
}

/** The names of the variables a text refers to, with whether Compose refuses to start without them. */
export function referencedVariables(text: string): { name: string; required: boolean }[] {
  return [...text.matchAll(PATTERN)]
    .filter((m) => m[1] === undefined)
    .map((m) => ({ name: (m[2] ?? m[5])!, required: m[3] === ":?" || m[3] === "?" }));
}
