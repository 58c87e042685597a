import type { Logger } from "../../src/core/ports/logger.js";

export interface LoggedLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line, so tests can assert on what an operator would read. */
export function recordingLogger(lines: LoggedLine[], bindings: Record<string, unknown> = {}): Logger {
  const at =
    (level: LoggedLine["level"]) =>
    (fields: object, message: string): void => {
      lines.push({ level, fields: { ...bindings, ...fields }, message });
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => recordingLogger(lines, { ...bindings, ...(more as Record<string, unknown>) }),
  };
}
