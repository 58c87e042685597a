/** Llama Guard 4's hazard categories in plain words, for refusals a user understands. */
export const safetyCategoryNames: Readonly<Record<string, string>> = {
  S1: "violent crimes",
  S2: "non-violent crimes",
  S3: "sex-related crimes",
  S4: "child sexual exploitation",
  S5: "defamation",
  S6: "specialized advice",
  S7: "privacy",
  S8: "intellectual property",
  S9: "indiscriminate weapons",
  S10: "hate",
  S11: "suicide and self-harm",
  S12: "sexual content",
  S13: "elections",
  S14: "code interpreter abuse",
};

export type SafetyVerdict = { readonly safe: true } | { readonly safe: false; readonly categories: readonly string[] };

/**
 * Parses `safe`, or `unsafe` with categories on the next line (`unsafe\nS2,S10`): Llama Guard's
 * answer and the one our policy asks the other screeners for. Undefined when it is anything else,
 * more lines included: a verdict followed by more text is a model that echoed what it read (or
 * was talked into writing a verdict of the content's choosing), and is not trusted.
 */
export function parseSafetyVerdict(answer: string): SafetyVerdict | undefined {
  const lines = answer.trim().split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const first = lines[0]?.toLowerCase().replace(/[^a-z]/g, "");
  if (first === "safe") return lines.length === 1 ? { safe: true } : undefined;
  if (first !== "unsafe" || lines.length > 2) return undefined;
  const codeLine = lines[1] ?? "";
  if (!/^(S\d{1,2}[\s,]*)*$/i.test(codeLine)) return undefined;
  const codes = (codeLine.match(/S\d{1,2}/gi) ?? []).map((code) => code.toUpperCase());
  return { safe: false, categories: [...new Set(codes)] };
}

export function describeCategories(codes: readonly string[]): readonly string[] {
  const names = codes.map((code) => safetyCategoryNames[code]).filter((name): name is string => name !== undefined);
  return names.length === 0 ? ["content this bot does not help with"] : names;
}
