// Finds every SQL write in the project's source without a parser: Kysely's write builders called with a literal
// table name (`insertInto("notes")`, `updateTable("notes as n")`), and INSERT/UPDATE/DELETE/MERGE inside `sql`
// template literals. A write builder given anything but a literal is reported too, so no write can hide its table.

/** One write found in a source file. `table` is null when the builder was not given a literal name. */
export interface TableWrite {
  readonly file: string;
  readonly table: string | null;
  /** What was matched, for the failure message. */
  readonly statement: string;
}

const BUILDER = /\.(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*(?:(["'`])([^"'`]*)\2)?/g;
const SQL_TEMPLATE = /\bsql(?:<[^`]*?>)?`([^`]*)`/g;
const RAW_WRITE = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+("?)([a-z_][a-z0-9_]*)\2/gi;

/** Table names as the builders take them: "notes as n" is the table notes. */
function tableOf(literal: string): string {
  return literal.trim().split(/\s+/)[0]!;
}

export function tableWritesOf(file: string, source: string): TableWrite[] {
  const writes: TableWrite[] = [];
  for (const match of source.matchAll(BUILDER)) {
    const literal = match[3];
    writes.push({ file, table: literal === undefined ? null : tableOf(literal), statement: `${match[1]}(${literal === undefined ? "…" : JSON.stringify(literal)})` });
  }
  for (const template of source.matchAll(SQL_TEMPLATE)) {
    for (const match of template[1]!.matchAll(RAW_WRITE)) {
      // `FOR UPDATE` locks rows and `ON CONFLICT … DO UPDATE SET` writes the table the INSERT names.
      if (/UPDATE/i.test(match[1]!) && /\b(FOR|DO)\s+$/i.test(template[1]!.slice(0, match.index))) continue;
      writes.push({ file, table: match[3]!.toLowerCase(), statement: `sql\`${match[1]!.toUpperCase().replace(/\s+/, " ")} ${match[3]}\`` });
    }
  }
  return writes;
}

/**
 * Who writes a file's tables: the module for files under server/modules/<module>/, server/queue for Fedify's
 * own key-value store and message queue, and the file itself anywhere else (which is always a violation).
 */
export function writerOf(file: string): string {
  const module = /^server\/modules\/([^/]+)\//.exec(file)?.[1];
  if (module !== undefined) return `modules/${module}`;
  if (file.startsWith("server/queue/")) return "server/queue";
  return file;
}

/** Tables server/queue may write: Fedify's KvStore and MessageQueue, which no module owns. */
export const QUEUE_TABLES: ReadonlySet<string> = new Set(["fedify_kv", "fedify_queue"]);

/** Tables the migrations create (`createTable("…")`). */
export function tablesCreatedIn(source: string): string[] {
  return [...source.matchAll(/\bcreateTable\(\s*["']([a-z_][a-z0-9_]*)["']/g)].map((match) => match[1]!);
}

/**
 * Every table with its writers, sorted; a table is correct when exactly one writer writes it and that writer is
 * a module (or server/queue, for its own tables). The result lists the problems as "(table, writers)" lines.
 */
export function ownershipProblems(writes: readonly TableWrite[], tables: readonly string[]): string[] {
  const writers = new Map<string, Set<string>>(tables.map((table) => [table, new Set()]));
  const problems: string[] = [];
  for (const write of writes) {
    if (write.table === null) {
      problems.push(`${write.file}: ${write.statement} writes a table that is not named literally; name it so its owner is known`);
      continue;
    }
    if (!writers.has(write.table)) writers.set(write.table, new Set());
    writers.get(write.table)!.add(writerOf(write.file));
  }
  for (const [table, found] of [...writers].sort(([a], [b]) => a.localeCompare(b))) {
    const list = [...found].sort();
    const outside = list.filter((writer) => !writer.startsWith("modules/") && !(writer === "server/queue" && QUEUE_TABLES.has(table)));
    if (list.length === 0) problems.push(`(${table}, no writer): no module writes it; drop it in a migration or give it an owner`);
    else if (list.length > 1) problems.push(`(${table}, ${list.join(", ")}): written by ${list.length} writers; only its owner may write it`);
    else if (outside.length > 0) problems.push(`(${table}, ${list[0]}): written outside server/modules; move the write into the module that owns the table`);
  }
  return problems;
}
