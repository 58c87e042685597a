import type { PatternRule } from "./pattern-rule.js";
import { excerpt } from "./pattern-rule.js";
import type { PreparedText } from "./prepared-text.js";
import type { Signal } from "./types.js";

/** Configuration files people paste (YAML, JSON, Dockerfile, nginx, .env) and the names of such files. */
export const configRules: readonly PatternRule[] = [
  { role: "code", view: "original", weight: 4, reason: "JSON", pattern: /\{\s*"[\w$@.-]+"\s*:\s*(?:["{[\d]|true|false|null)/ },
  /*
   * Two instruction lines, the second right after a line feed. The second is found first and the
   * first is looked for behind it: searching forward from every line that starts like an
   * instruction rescanned the rest of the text for each one (lines split by bare "\r" made that
   * quadratic), while only the first line feed that starts an instruction can fail to find one.
   */
  {
    role: "code",
    view: "original",
    weight: 5,
    reason: "Dockerfile",
    pattern: /\n(?=(?:FROM|RUN|COPY|ADD|CMD|ENTRYPOINT|WORKDIR|EXPOSE|ENV|ARG) \S)(?<=^(?:FROM|RUN|COPY|ADD|CMD|ENTRYPOINT|WORKDIR|EXPOSE|ENV|ARG) \S[\s\S]*?)/m,
  },
  { role: "code", view: "original", weight: 4, reason: "server config", pattern: /^[^\S\n\r\u2028\u2029]*(?:server|location|upstream|http|events)\s*[^\n{]{0,40}\{\s*$|^[^\S\n\r\u2028\u2029]*(?:proxy_pass|listen|server_name|root)\s+\S+;/m },
  { role: "code", view: "original", weight: 3, reason: "environment variable", pattern: /^[A-Z][A-Z0-9]*_[A-Z0-9_]*=\S/m },
  {
    role: "code",
    view: "original",
    weight: 3,
    reason: (match) => `file name (${excerpt(match[0])})`,
    pattern: /(?<![\w/.-])(?:[\w-]+\.(?:py|js|mjs|cjs|ts|tsx|jsx|java|kt|cpp|cc|hpp|cs|go|rs|rb|php|swift|sh|bash|ps1|sql|ya?ml|json|toml|ini|xml|html|css|scss|vue|svelte|gradle|csproj|lock|env|conf)|Dockerfile|Makefile|docker-compose|requirements\.txt|\.env|\.gitignore)(?![\w-])/,
  },
  { role: "code", view: "original", weight: 2, reason: "file path", pattern: /(?:^|[\s"'(])(?:~|\.{1,2})?\/(?:[\w.-]+\/)+[\w.-]*|[A-Z]:\\(?:[\w .-]+\\)+/ },
  { role: "code", view: "original", weight: 3, reason: "local address", pattern: /\blocalhost(?::\d+)?\b|\b127\.0\.0\.1\b|\b0\.0\.0\.0\b|:\/\/[\w.-]+:\d{2,5}\b/ },
];

const yamlLine = /^[ \t]*(?:- )?[\w.-]+:(?:[ \t][^\n]*)?$|^[ \t]*- [^\n]+$/gm;
const indentedYamlLine = /^[ \t]+(?:- |[\w.-]+:)/m;

/**
 * YAML is told apart from prose with colons ("Note: ...") by needing three "key: value" or
 * "- item" lines, at least one of them indented under a parent key.
 */
export function collectYamlSignal(text: PreparedText, signals: Signal[]): void {
  const lines = text.original.match(yamlLine);
  if (lines !== null && lines.length >= 3 && indentedYamlLine.test(text.original)) {
    signals.push({ role: "code", weight: 4, reason: "YAML" });
  }
}
