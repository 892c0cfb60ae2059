import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

/** Raised when another live process already holds the embedded database. */
export class EmbeddedDatabaseBusyError extends Error {
  readonly pid: number;
  constructor(lockPath: string, pid: number) {
    super(
      `The embedded database is already open by process ${pid} (lock ${lockPath}). ` +
        "PGlite serves one process at a time: stop that process, or use DATABASE_URL for several processes.",
    );
    this.name = "EmbeddedDatabaseBusyError";
    this.pid = pid;
  }
}

const heldHere = new Set<string>();

/**
 * PGlite corrupts its files if two processes open the same directory, so a pid lock file guards it.
 * A lock left by a dead process (kill -9) is taken over. Returns the release function.
 */
export function acquireEmbeddedLock(lockPath: string): () => void {
  if (heldHere.has(lockPath)) throw new EmbeddedDatabaseBusyError(lockPath, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(lockPath);
      // Our own pid in a lock we do not hold means a previous life of a container whose pid repeats.
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new EmbeddedDatabaseBusyError(lockPath, holder);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the embedded database lock ${lockPath}`);
}

function readHolder(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
