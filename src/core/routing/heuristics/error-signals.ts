import type { PatternRule } from "./pattern-rule.js";
import { excerpt } from "./pattern-rule.js";

/**
 * Stack traces and error messages. People paste them untranslated whatever language they write
 * in, so these English-only patterns work for every message.
 */
export const errorRules: readonly PatternRule[] = [
  // Indentation is matched within one line, so blank lines cost nothing (see pattern-rule.ts).
  { role: "code", view: "original", weight: 6, reason: "stack trace (python)", pattern: /Traceback \(most recent call last\)|^[^\S\n\r\u2028\u2029]*File "[^"\n]+", line \d+/m },
  // JavaScript and JVM frames: "at Client.emit (node:events:517:28)", "at Main.main(Main.java:7)".
  { role: "code", view: "original", weight: 6, reason: "stack trace", pattern: /\bat [\w$.<>[\]]+ ?\([^()\s]+:\d+(?::\d+)?\)|\bat [^\s()]+\.(?:js|mjs|cjs|ts|tsx|jsx):\d+:\d+/ },
  { role: "code", view: "original", weight: 5, reason: "crash report", pattern: /Exception in thread "|panicked at |Segmentation fault|core dumped|Unhandled(?:Promise)?Rejection|Fatal error:|Stack trace:/i },
  { role: "code", view: "original", weight: 4, reason: (match) => `error name (${match[0]})`, pattern: /\b[A-Z][a-zA-Z]*(?:Error|Exception)\b/ },
  { role: "code", view: "original", weight: 3, reason: (match) => `qualified name (${excerpt(match[0])})`, pattern: /\b(?:java|javax|kotlin|android|org|com|System)\.[a-z]\w*\.[\w.]+/ },
  { role: "code", view: "original", weight: 4, reason: (match) => `error code (${match[0]})`, pattern: /\b(?:ENOENT|EACCES|EADDRINUSE|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPERM|ERESOLVE|EEXIST|EPIPE|ENOTFOUND|TS\d{4}|E\d{4})\b|\berror\[E\d+\]|npm ERR!/ },
  { role: "code", view: "original", weight: 4, reason: "tool error prefix", pattern: /(?:^|\s|')(?:fatal|error|warning|FATAL|ERROR|WARN):\s+\S|\[(?:emerg|crit|error|warn)\]/ },
  { role: "code", view: "original", weight: 3, reason: (match) => `HTTP error (${match[0]})`, pattern: /\b(?:40[0-9]|50[0-4]) (?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b/i },
  // Runtime and compiler phrasing that only appears in error output.
  {
    role: "code",
    view: "original",
    weight: 4,
    reason: (match) => `error message (${excerpt(match[0])})`,
    pattern: /\b(?:is not defined|is not a function|cannot read propert(?:y|ies) of|undefined is not|no such file or directory|permission denied|command not found|unexpected token|not assignable to (?:type|parameter)|has no attribute|no module named|cannot find module|module not found|out of bounds|index out of range|null pointer|segfault|connection refused|non-fast-forward|merge conflict|syntax error|exit(?:ed)? (?:with )?(?:code|status) \d+)\b/i,
  },
];
