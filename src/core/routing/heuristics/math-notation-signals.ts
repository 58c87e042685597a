import type { PatternRule } from "./pattern-rule.js";
import { excerpt } from "./pattern-rule.js";

/**
 * Written mathematics: LaTeX, math symbols, algebra with variables, named functions, limits and
 * matrices. All read the prose view, so expressions inside code samples do not count.
 */
export const mathNotationRules: readonly PatternRule[] = [
  {
    role: "logic",
    view: "prose",
    weight: 5,
    requires: "\\",
    reason: (match) => `LaTeX (${match[0]})`,
    pattern:
      /\\(?:int|iint|oint|frac|dfrac|tfrac|sum|prod|sqrt|lim|infty|partial|nabla|cdot|times|pm|leq?|geq?|neq|approx|equiv|alpha|beta|gamma|delta|epsilon|varepsilon|theta|lambda|mu|sigma|phi|omega|sin|cos|tan|log|ln|exp|binom|mathbb|mathrm|mathbf|vec|overline|forall|exists|notin|subseteq|cup|cap|rightarrow|Rightarrow|iff|implies|begin\{(?:equation|align|matrix|pmatrix|bmatrix|cases)\*?\}|left|right)(?![a-zA-Z])/,
  },
  // Inline "$…$" is read possessively up to its first "\" or "^", then up to the closing "$":
  // trying every "^" of a long line as the one that counts rescanned the line for each.
  { role: "logic", view: "prose", weight: 4, requires: "$", reason: "math formula ($…$)", pattern: /\$\$[^$]+\$\$|\$(?=([^$\n\\^]*))\1[\\^](?=([^$\n]*))\2\$/ },
  { role: "logic", view: "prose", weight: 4, reason: (match) => `math symbol (${match[0]})`, pattern: /[∫∬∮∑∏√∂∇∞]/ },
  // A Greek letter is a symbol only on its own: inside a Greek word ("καιρό θα") it is a letter.
  { role: "logic", view: "prose", weight: 2.5, reason: (match) => `math symbol (${match[0]})`, pattern: /[≤≥≠≈±÷∈∉⊂⊆∪∩∀∃¬∧∨⇒⇔²³ⁿ]|(?<![\u0370-\u03ff])[πθλΔ](?![\u0370-\u03ff])|→\s*(?:[-+]?\d|∞)/ },
  // The sign comes first in the pattern so the scan looks for it, not for every word character.
  { role: "logic", view: "prose", weight: 1.5, reason: "multiplication sign", pattern: /[·×](?<=[\w)]\s*[·×])(?=\s*[\w(])/ },
  // x^2, e^x, 2^n, (1+1/x)^x
  { role: "logic", view: "prose", weight: 3, requires: "^", reason: (match) => `exponent (${excerpt(match[0])})`, pattern: /(?:\b[a-zA-Z]|\d|\))\s*\^\s*[-(]?[\w{(]/ },
  // "2x + 3 = 7", "3x - 7", "2n-1": a coefficient glued to a one-letter variable, inside an expression.
  {
    role: "logic",
    view: "prose",
    weight: 3,
    reason: (match) => `algebra (${excerpt(match[0])})`,
    pattern: /(?<![\w.])\d+(?:[.,]\d+)?[abcnxyzt](?:\s*[-+*/=<>^²³]|\s*$)|[-+*/=<>(]\s*\d*[abcnxyzt](?:\^?\d|²|³)?\s*[-+*/=<>)]\s*\d/,
  },
  // The spaces around an optional "*" before the variable belong to one quantifier unless the
  // sign splits them: "\s*[*]?\s*" tried every split of a long run of spaces.
  { role: "logic", view: "prose", weight: 3, requires: "=", reason: "equation", pattern: /(?<![\w\\])(?:\d+(?:[.,]\d+)?\s*(?:[*·×]\s*)?)?[a-z](?:\^\d+|²|³)?\s*[-+*/]\s*[\d(a-z][^=\n]{0,30}=\s*[-+]?[\d(a-z?]/ },
  { role: "logic", view: "prose", weight: 2, requires: "=", reason: "asks for a value (= ?)", pattern: /=\s*\?/ },
  { role: "logic", view: "prose", weight: 3, reason: (match) => `function notation (${excerpt(match[0])})`, pattern: /(?<![\w.\\])(?:sin|cos|tan|cot|sec|csc|arcsin|arccos|arctan|sinh|cosh|tanh|ln|log|exp|sqrt)\s*\(\s*[\w\d]|(?<![\w.\\])(?:sin|cos|tan|ln)\^?\d?\s+[a-z]\b|\b[fgh]\s*\(\s*[a-z]\s*\)\s*=/ },
  { role: "logic", view: "prose", weight: 3, reason: "limit", pattern: /(?<![\w\\])lim(?:\s|_|\s*\()/ },
  { role: "logic", view: "prose", weight: 3, requires: "[[", reason: "matrix", pattern: /\[\s*\[\s*-?\d+(?:\s*,\s*-?\d+)+\s*\]\s*,\s*\[/ },
  { role: "logic", view: "prose", weight: 2, reason: "differential (dx)", pattern: /\bd[xyt]\b(?=\s*(?:$|[,.?$)=]|\\))/m },
];
