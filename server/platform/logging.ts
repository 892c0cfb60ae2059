import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, getTextFormatter, type LogLevel } from "@logtape/logtape";

/** Configures LogTape once per process: our categories and Fedify's, at LOG_LEVEL, to stderr. */
export async function configureLogging(level: LogLevel): Promise<void> {
  await configure({
    reset: true,
    // Without it LogTape warns on every request (docs/stack.md#fedify).
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: getConsoleSink({ formatter: getTextFormatter({ timestamp: "date-time-tz" }), console: stderrConsole }) },
    loggers: [
      { category: ["commonsnet"], lowestLevel: level, sinks: ["console"] },
      { category: ["fedify"], lowestLevel: level === "info" ? "warning" : level, sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}

// Logs go to stderr so stdout stays free for command output (the CLI prints generated passwords).
const stderrConsole = new console.Console({ stdout: process.stderr, stderr: process.stderr });
