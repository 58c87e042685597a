import type { PatternRule } from "./pattern-rule.js";
import { excerpt } from "./pattern-rule.js";

/**
 * SQL statements and shell command lines. Upper-case SQL is matched case-sensitively because
 * "select the ones from the list" is ordinary English; lower-case SQL needs its punctuation.
 */
export const commandRules: readonly PatternRule[] = [
  { role: "code", view: "original", weight: 5, reason: "SQL", pattern: /\bSELECT\b[^;]{1,300}?\bFROM\b|\b(?:INSERT INTO|DELETE FROM|CREATE (?:TABLE|INDEX|VIEW|DATABASE)|ALTER TABLE|DROP TABLE|LEFT JOIN|INNER JOIN|GROUP BY|ORDER BY)\b|\bUPDATE \w+ SET\b/ },
  { role: "code", view: "original", weight: 4, reason: "SQL", pattern: /\bselect (?:\*|\w+(?:\.\w+)?,) ?[^;]{0,200}?\bfrom \w+|\b(?:insert into \w+|group by \w+|order by \w+(?: (?:asc|desc)\b)?|left join \w+|inner join \w+)/ },
  // A known tool followed by one of its subcommands: "git rebase", "npm install", "kubectl get".
  {
    role: "code",
    view: "original",
    weight: 4,
    reason: (match) => `shell command (${excerpt(match[0])})`,
    pattern: /\b(?:git (?:push|pull|commit|rebase|merge|clone|checkout|switch|reset|stash|log|status|add|branch|fetch|revert|cherry-pick|init|remote|diff|tag)|(?:npm|pnpm|yarn) (?:install|i|run|start|ci|init|publish|test|build|add|update|audit)|npx \w|pip3? install|python3? -m|docker(?:-compose| compose)? (?:run|build|up|down|ps|exec|pull|push|images|logs|compose)|kubectl (?:get|apply|describe|logs|delete|exec|rollout)|(?:apt|apt-get|brew|dnf|yum|pacman|choco|winget) (?:install|update|upgrade|remove)|systemctl (?:start|stop|restart|status|enable)|cargo (?:build|run|add|test)|go (?:run|build|test) [\w./]+\.go|go mod (?:init|tidy)|sudo \w+)\b/,
  },
  // Flags and redirections look like nothing else: "ls -la", "rm -rf", "2>&1", "| grep". A prompt
  // line "$ ls" is matched with the indentation of its own line only (see pattern-rule.ts).
  { role: "code", view: "original", weight: 3, reason: (match) => `shell syntax (${excerpt(match[0])})`, pattern: /\b(?:ls|rm|cp|mv|grep|find|chmod|chown|curl|wget|tar|ssh|scp|cat|echo|mkdir|ps|kill|du|df)\s+-{1,2}[a-zA-Z]|\|\s*(?:grep|awk|sed|xargs|sort|head|tail|wc)\b|\d?>&\d|>\s*\/dev\/null|^[^\S\n\r\u2028\u2029]*\$ \w/m },
  // SQL words written in capitals the way queries are, in a question in any language: "un SELECT con JOIN".
  { role: "code", view: "prose", weight: 2.5, reason: (match) => `SQL keyword (${match[0]})`, pattern: /\b(?:SELECT|JOIN|WHERE|GROUP BY|PRIMARY KEY|FOREIGN KEY)\b/ },
  { role: "code", view: "original", weight: 2, reason: "git revision", pattern: /\bHEAD(?:~\d*|\^+)|\borigin\/\w+/ },
];
