import { sql } from "kysely";
import type { DbOrTrx } from "../../db/database.ts";

export interface DatabaseHealth {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/** One round trip to the database, bounded in time so a hung connection shows as unhealthy. */
export async function checkDatabase(db: DbOrTrx, timeoutMs = 2000): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`SELECT 1`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
