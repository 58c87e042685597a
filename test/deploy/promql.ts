/**
 * The series names a PromQL expression (as Grafana and Prometheus rules write them) reads. Not a
 * PromQL parser: it removes what cannot be a series name (strings, label matchers, ranges,
 * grouping clauses, Grafana variables, numbers) and keeps the identifiers that are not functions
 * or keywords. promtool, where installed, checks the syntax itself.
 */

const keywords = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan"]);

export function seriesNamesIn(expression: string): string[] {
  let text = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    // Grafana's label_values(selector, label): the label is not a series.
    .replace(/label_values\(([^,()]*),\s*\w+\s*\)/g, "($1)")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\$\{?\w+\}?/g, " ");
  // Numbers and durations (0.99, 1e3, 5m) are not names.
  text = text.replace(/(?<![A-Za-z0-9_:])\d[\w.]*/g, " ");
  const names = new Set<string>();
  for (const match of text.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call !== undefined || keywords.has(name!.toLowerCase())) continue;
    names.add(name!);
  }
  return [...names];
}
