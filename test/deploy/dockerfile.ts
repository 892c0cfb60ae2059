/**
 * Reads a Dockerfile's instructions for the deployment tests (there is no Docker engine to build it):
 * comments dropped, `\` continuations joined, exec-form arguments parsed as the JSON arrays they are.
 */
export interface Instruction {
  readonly name: string;
  readonly args: string;
  readonly line: number;
}

export function parseDockerfile(source: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = "";
  let start = 0;
  source.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === "" && (trimmed === "" || trimmed.startsWith("#"))) return;
    // Comment lines inside a continued instruction are skipped by Docker too.
    if (pending !== "" && trimmed.startsWith("#")) return;
    if (pending === "") start = index + 1;
    const continued = trimmed.endsWith("\\");
    pending += `${continued ? trimmed.slice(0, -1) : trimmed} `;
    if (continued) return;
    const text = pending.trim();
    pending = "";
    const match = /^(\S+)\s*(.*)$/s.exec(text)!;
    instructions.push({ name: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start });
  });
  if (pending !== "") throw new Error(`Dockerfile ends inside a continued instruction (line ${start})`);
  return instructions;
}

/** The instructions named `name`, in order. */
export function instructionsNamed(instructions: readonly Instruction[], name: string): Instruction[] {
  return instructions.filter((i) => i.name === name);
}

/** Exec form (`["node", "x.ts"]`) as an array; shell form as `["/bin/sh", "-c", args]`, as Docker runs it. */
export function commandOf(args: string): string[] {
  if (args.startsWith("[")) {
    const parsed: unknown = JSON.parse(args);
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) throw new Error(`Bad exec form: ${args}`);
    return parsed;
  }
  return ["/bin/sh", "-c", args];
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`) as a record, across all ENV instructions. */
export function environmentOf(instructions: readonly Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructionsNamed(instructions, "ENV")) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      const [key, ...value] = args.split(/\s+/);
      env[key!] = value.join(" ");
      continue;
    }
    for (const pair of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
      const raw = pair[2]!;
      env[pair[1]!] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    }
  }
  return env;
}

/** HEALTHCHECK's options and command; `undefined` command for `HEALTHCHECK NONE`. */
export function healthcheckOf(args: string): { options: Record<string, string>; command: string[] | undefined } {
  const options: Record<string, string> = {};
  let rest = args;
  for (let option = /^--([a-z-]+)=(\S+)\s+/.exec(rest); option !== null; option = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    options[option[1]!] = option[2]!;
    rest = rest.slice(option[0].length);
  }
  if (rest === "NONE") return { options, command: undefined };
  if (!rest.startsWith("CMD ")) throw new Error(`HEALTHCHECK needs CMD or NONE: ${args}`);
  return { options, command: commandOf(rest.slice(4).trim()) };
}
