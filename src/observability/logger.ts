import { pino } from "pino";
import type { Logger } from "../core/ports/logger.js";

/**
 * JSON lines on stdout. Secrets never reach a log line: any field named like a token or a key
 * is censored wherever it appears, as a guard against a careless `logger.info({ config })`.
 */
export function createLogger(level: "debug" | "info" | "warn" | "error"): Logger {
  return pino({
    level,
    base: { service: "mami" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["token", "apiKey", "authorization", "*.token", "*.apiKey", "*.authorization", "*.*.token", "*.*.apiKey", "config.groq", "config.telegram", "config.discord"],
      censor: "[secret]",
    },
  });
}
