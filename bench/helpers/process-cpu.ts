import { readFileSync } from "node:fs";
import postgres from "postgres";

/** Linux reports process times in clock ticks of 1/100 s (getconf CLK_TCK on every x86-64 and arm64 kernel). */
const TICK_MS = 10;

/** User + system CPU of a process in ms from /proc (10 ms resolution), or undefined if it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may contain spaces: it ends at the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * CPU spent by the PostgreSQL backends serving one database, when the server runs on this machine:
 * the sender's or receiver's queue and queries cost CPU there too. Backends are looked up at each
 * reading; one that started after the first reading counts from zero.
 */
export class DatabaseServerCpu {
  readonly #admin: postgres.Sql;
  readonly #database: string;
  #before = new Map<number, number>();

  constructor(baseUrl: string, databaseUrl: string) {
    this.#admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    this.#database = new URL(databaseUrl).pathname.slice(1);
  }

  /** False when the server is elsewhere (its backends are not in this machine's /proc). */
  async isLocal(): Promise<boolean> {
    const [row] = await this.#admin`SELECT pg_backend_pid() AS pid`;
    return processCpuMs(Number(row!.pid)) !== undefined;
  }

  async #readings(): Promise<Map<number, number>> {
    const rows = await this.#admin`SELECT pid FROM pg_stat_activity WHERE datname = ${this.#database}`;
    const readings = new Map<number, number>();
    for (const row of rows) {
      const cpu = processCpuMs(Number(row.pid));
      if (cpu !== undefined) readings.set(Number(row.pid), cpu);
    }
    return readings;
  }

  async mark(): Promise<void> {
    this.#before = await this.#readings();
  }

  /** CPU ms the database's backends used since `mark()`. */
  async sinceMark(): Promise<number> {
    const now = await this.#readings();
    let total = 0;
    for (const [pid, cpu] of now) total += cpu - (this.#before.get(pid) ?? 0);
    return total;
  }

  async close(): Promise<void> {
    await this.#admin.end();
  }
}
