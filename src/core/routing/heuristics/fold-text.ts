/** Marks left over after canonical decomposition: accents, umlauts, the cedilla, the breve. */
const combiningMarks = /\p{M}+/gu;
const onlyAscii = /^[\x00-\x7f]*$/;
const dotlessI = /ı/g;
const sharpS = /ß/g;

/**
 * Lower-cases and strips diacritics so that keyword lists match what people actually type:
 * Turkish users often write "turev" for "türev" and "kac" for "kaç", Spanish users drop accents,
 * Germans write "loese" or "lose". Keywords are folded the same way when the lists are compiled.
 * Russian "й" folds to "и" and "ё" to "е"; harmless, because both sides are folded.
 */
export function foldForMatching(text: string): string {
  const lowerCase = text.toLowerCase();
  // Most prompts are plain ASCII: nothing to decompose.
  if (onlyAscii.test(lowerCase)) return lowerCase;
  return lowerCase.replace(dotlessI, "i").normalize("NFD").replace(combiningMarks, "").replace(sharpS, "ss");
}
