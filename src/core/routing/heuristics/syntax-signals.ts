import type { PatternRule } from "./pattern-rule.js";
import { excerpt } from "./pattern-rule.js";

/**
 * Program text outside fences: inline code, declarations, operators only programmers type and
 * identifiers written the way code names things (useEffect, user_id, CrashLoopBackOff). Each
 * pattern demands the shape of code, not just a keyword: "let me know" is not a declaration,
 * "let total = 0" is.
 */
export const syntaxRules: readonly PatternRule[] = [
  { role: "code", view: "prose", weight: 3, requires: "`", reason: (match) => `inline code (${excerpt(match[1])})`, pattern: /`([^`\n]{1,80})`/ },
  /*
   * Read to the end of the line ("let x = 1;", "import a from 'b'") with the line terminators
   * that `^` and `$` know: scanning on past a bare "\r" made every line it split rescan the rest.
   * "import" text before " from" must end in a visible character so that a long run of spaces
   * is not split between two quantifiers in every possible way.
   */
  {
    role: "code",
    view: "original",
    weight: 4,
    reason: (match) => `declaration (${excerpt(match[0], 20)})`,
    pattern:
      /^[^\S\n\r\u2028\u2029]*(?:(?:async\s+)?(?:def|fn|func|function)\s+[\w$]+\s*\(|(?:pub\s+)?(?:class|struct|interface|enum|trait|impl)\s+[A-Z]\w*\s*(?:[:{(<]|extends\b|implements\b|$)|(?:const|let|var|val|auto)\s+(?:[\w$]{2,}|[\w$](?=[^\n\r\u2028\u2029]*;[ \t]*$))(?:\s*:\s*[\w<>[\]]+)?\s*=|import\s+(?:[\w*{](?:[^\n\r\u2028\u2029]*\S)?\s+from\s+["']|["'][\w@./-]+["']|[\w.]+(?:\s+as\s+\w+)?\s*;?$)|from\s+[\w.]+\s+import\s+\w|#include\s*[<"]|#define\s+\w|using\s+[\w.]+;|package\s+[\w.]+;?$|(?:public|private|protected)\s+(?:static\s+)?[\w<>[\]]+\s+\w+\s*[({=;])/m,
  },
  /*
   * "$" is not a word character, so "\b" holds inside "a$b$c" and every identifier character
   * could start a match that rescans the identifier. The match starts where the identifier run
   * does and skips what cannot start a name ("$" before a letter's boundary, leading digits),
   * so each run is read once; the reason shows the name from where the old pattern began it.
   */
  {
    role: "code",
    view: "original",
    weight: 3,
    requires: "(",
    reason: (match) => `method call (${excerpt(match.groups?.["call"])})`,
    pattern: /(?<![\w$])\$*(?:\d\w*)?\b(?<call>[a-zA-Z_$][\w$]*\.[a-zA-Z_$][\w$]*\()/,
  },
  // "->" only when an identifier and a call or block follow, so "x->0" in a limit stays math.
  { role: "code", view: "original", weight: 3, reason: (match) => `code operator (${match[0]})`, pattern: /={3}|!==|=>|::|\+\+|\+=|-=|\|\||&&|:=|<-(?=\s*\w)|->(?=\s*[a-zA-Z_]\w*\s*[({;])/ },
  {
    role: "code",
    view: "original",
    weight: 3,
    requires: "(",
    reason: (match) => `built-in call (${match[0]})`,
    pattern: /\b(?:print|println|printf|puts|len|range|input|alert|require|fetch|setTimeout|setInterval|malloc|strlen|append|forEach|querySelector|getElementById|addEventListener)\(/,
  },
  // C-family declarations: "int main(", "char *name =", "double total;". The spaces after the
  // type belong to one quantifier unless a "*" splits them.
  { role: "code", view: "original", weight: 3, reason: (match) => `declaration (${excerpt(match[0], 20)})`, pattern: /\b(?:int|void|char|float|double|bool|long|size_t|uint\d+_t|String)\s+(?:\*\s*)?[a-zA-Z_]\w*\s*(?:\(|=|;|\[)/ },
  // A "{ …; … }" on one line. Read up to the first ";", then up to the brace, possessively: trying
  // every ";" of a long line as the separator rescanned the rest of the line for each.
  { role: "code", view: "original", weight: 3, requires: ";", reason: "statement block", pattern: /\{(?=([^{}\n;]*))\1;(?=([^{}\n]*))\2\}|\breturn\s+[^;\n]{1,40};/ },
  // Statements strung together on one line: "x = 5; y = 10".
  { role: "code", view: "original", weight: 3, requires: ";", reason: "statement sequence", pattern: /;[ \t]*[a-zA-Z_$][\w$]*(?:[ \t]*=(?!=)|\(|\.[a-zA-Z_$])/ },
  { role: "code", view: "original", weight: 3, reason: "statement syntax", pattern: /[\w)\]"'];[ \t]*$|\)\s*\{[ \t]*$|^[ \t]*\}[ \t]*$|^[ \t]*(?:return\s+[\w(]|print\s*\(|console\.log\(|echo\s+["$]|printf\s*\()/m },
  { role: "code", view: "original", weight: 2, reason: (match) => `identifier (${match[0]})`, pattern: /\b[a-z]{2,}(?:[A-Z][a-z0-9]+)+\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+){2,}\b/ },
  // Not after "\" (LaTeX subscripts such as \int_0), "@" (user names) or "#" (hashtags).
  { role: "code", view: "original", weight: 2, requires: "_", reason: (match) => `identifier (${match[0]})`, pattern: /(?<![\\@#])\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b/ },
  { role: "code", view: "original", weight: 2, reason: (match) => `comparison (${match[0].trim()})`, pattern: /\s(?:==|!=)\s/ },
  /*
   * A programming language named after a preposition, in the languages of the keyword lists and
   * beyond: "in C", "en Go", "em Java", "w C++", "na Rust", "на C", "dalam Python". The name is
   * matched as written (capitalised), so "in go" or "w pythonie" are left to the keyword lists.
   */
  {
    role: "code",
    view: "prose",
    weight: 2,
    reason: (match) => `in a programming language (${excerpt(match[0])})`,
    // Plain (non-Unicode) classes: a Unicode property class costs its compilation at every start.
    pattern: /(?:\b(?:in|en|em|na|w|di|dalam|mit|ile)|(?<![а-яё])на|بلغة)\s+(?:C|C\+\+|C#|Go|Rust|Java|Kotlin|Swift|Python|JavaScript|TypeScript|PHP|Ruby|Bash|SQL|Haskell|Scala|Lua|Dart)(?![\w+#])/,
  },
  // JavaScript's three declarations named together: "var, let e const", "let y const", "let vs const".
  { role: "code", view: "prose", weight: 3, reason: "JavaScript declarations (var, let, const)", pattern: /\b(?:var|let|const)\b,?\s+(?:\S{1,3}\s+)?(?:var|let|const)\b/ },
];
