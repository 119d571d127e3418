/**
 * The runtime's logging contract: a leveled logger with a module name and structured fields. The
 * node (src/app/logger.ts) implements it with pino; tests and older callers may still hand a plain
 * line function, which `toLog` adapts. Nothing here writes anywhere by itself.
 *
 * Log calls never influence block execution: they only report (docs/logging.md).
 */

/** The levels, lowest first (pino's names). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured context of a log line (height, address, error, …). */
export type LogFields = Readonly<Record<string, unknown>>;

/** A leveled logger bound to one module. */
export interface Log {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /**
   * The logger of `module` (e.g. "abci", "x/upgrade"), which its own level may filter. It replaces
   * this logger's module (modules do not nest).
   */
  child(module: string): Log;
}

/** The older sink: one human-readable line per call. */
export type LineLog = (line: string) => void;

/** Either kind of sink an option may take. */
export type LogSink = Log | LineLog;

/**
 * A Log over a line function: each call writes its message (which carries the context a person
 * needs; the fields are for structured output). Every level is written.
 */
export function lineLog(write: LineLog): Log {
  const emit = (msg: string): void => write(msg);
  const log: Log = { debug: emit, info: emit, warn: emit, error: emit, child: () => log };
  return log;
}

/** A Log that drops everything. */
export const silentLog: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLog,
};

/** The Log of `module` for a sink: a structured logger's child, or a line function adapted. */
export function toLog(sink: LogSink | undefined, module: string, fallback: Log = silentLog): Log {
  if (sink === undefined) return fallback.child(module);
  if (typeof sink === "function") return lineLog(sink);
  return sink.child(module);
}

/** The message and fields of an error, for the `err` field of a log line. */
export function errorFields(e: unknown): { err: { type: string; message: string; stack?: string } } {
  if (e instanceof Error) return { err: { type: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } };
  return { err: { type: typeof e, message: String(e) } };
}
