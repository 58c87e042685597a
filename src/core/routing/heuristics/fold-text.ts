/**
 * Marks that people often leave out when they type, removed after canonical decomposition:
 * accents, umlauts, the cedilla and the breve of Latin and Cyrillic letters (U+0300–U+036F),
 * Arabic short vowels and the hamza written on alef (U+064B–U+065F, U+0670), and the Devanagari
 * nukta (ज़ and ज). Other marks are kept: Devanagari vowel signs and Japanese voicing marks carry
 * the word itself, and dropping them would make unrelated words equal.
 */
const optionalMarks = /[\u0300-\u036f\u064b-\u065f\u0670\u093c]/g;
const onlyAscii = /^[\x00-\x7f]*$/;
/**
 * Letters that have no decomposition but are typed either way: Turkish dotless ı, German ß,
 * Polish ł, and in Arabic the final tā' marbūṭa as hā', alif maqṣūra as yā', and the tatweel
 * stretch dropped. One pass over the text replaces them all.
 */
const plainLetters: Readonly<Record<string, string>> = { "ı": "i", "ß": "ss", "ł": "l", "ة": "ه", "ى": "ي", "ـ": "" };
const letterTypedEitherWay = /[ıßłةىـ]/g;

/**
 * Lower-cases and strips optional marks so that keyword lists match what people actually type:
 * Turkish users often write "turev" for "türev" and "kac" for "kaç", Spanish users drop accents,
 * Germans write "loese" or "lose", Poles write "zl" for "zł", Arabic writers skip hamza and
 * vowels. Keywords are folded the same way when the lists are compiled. Russian "й" folds to "и"
 * and "ё" to "е"; harmless, because both sides are folded. The result is recomposed (NFC), so
 * Korean syllables and Japanese kana stay whole characters.
 */
export function foldForMatching(text: string): string {
  const lowerCase = text.toLowerCase();
  // Most prompts are plain ASCII: nothing to decompose.
  if (onlyAscii.test(lowerCase)) return lowerCase;
  return lowerCase
    .normalize("NFD")
    .replace(optionalMarks, "")
    .normalize("NFC")
    .replace(letterTypedEitherWay, (letter) => plainLetters[letter] ?? letter);
}
