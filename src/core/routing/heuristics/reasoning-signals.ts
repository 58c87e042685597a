import type { PreparedText } from "./prepared-text.js";
import type { Signal } from "./types.js";

/**
 * Quantified statements are the bones of syllogisms and logic puzzles: "all cats are mammals",
 * "todos los perros son animales", "alle Vögel sind Tiere", "bütün kediler memelidir",
 * "все птицы являются животными", "tutti i gatti sono animali", "alle katten zijn dieren". One
 * could be small talk ("all labels are wrong" is not, "all my friends are busy" is); two in a
 * message are a premise and a conclusion.
 * Patterns read the folded prose, so they are lower-case and without diacritics.
 */
const quantifiedStatements: readonly RegExp[] = [
  /\b(?:all|every|no|some)\s+[a-z]+\s+(?:are|is|can|can't|cannot)\b/g,
  /\b(?:todos|todas|ningun|ninguna|algunos|algunas)\s+(?:los\s+|las\s+)?[a-z]+\s+(?:son|es|pueden)\b/g,
  /\b(?:alle|einige|keine|kein|manche)\s+[a-z]+\s+(?:sind|ist|konnen)\b/g,
  /\b(?:tum|butun|hicbir|bazi)\s+[a-z]+(?:ler|lar)\s+[a-z]+(?:dir|dur|tir|tur|dar|der)\b/g,
  /(?<![а-я])(?:все|некоторые|ни один|ни одна|каждый|каждая)\s+[а-я]+\s+(?:являются|является|—|-|умеют|могут)/g,
  /\b(?:tutti|tutte|alcuni|alcune|nessun|nessuna)\s+(?:i\s+|gli\s+|le\s+)?[a-z]+\s+(?:sono|possono|[a-z]+ano)\b/g,
  /\b(?:todo|toda|todos|todas|alguns|algumas|nenhum|nenhuma)\s+(?:os\s+|as\s+)?(?!mundo\b)[a-z]+\s+(?:sao|e|podem|[a-z]+am)\b/g,
  /\b(?:alle|sommige|geen)\s+[a-z]+\s+(?:zijn|kunnen)\b/g,
  /\b(?:wszystkie|wszyscy|niektore|niektorzy|zadne|zaden)\s+[a-z]+\s+(?:sa|moga)\b/g,
  /\b(?:semua|beberapa)\s+[a-z]+\s+(?:adalah|bisa|dapat)\b/g,
];

export function collectReasoningSignals(text: PreparedText, signals: Signal[]): void {
  let count = 0;
  for (const pattern of quantifiedStatements) count += text.foldedProse.match(pattern)?.length ?? 0;
  if (count >= 2) signals.push({ role: "logic", weight: 3, reason: "premises (all … are …)" });
  else if (count === 1) signals.push({ role: "logic", weight: 1.5, reason: "quantified statement (all … are …)" });
}
