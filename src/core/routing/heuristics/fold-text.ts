/**
 * Marks that people often leave out when they type, removed after canonical decomposition:
 * accents, umlauts, the cedilla and the breve of Latin and Cyrillic letters (U+0300–U+036F),
 * Arabic short vowels and the hamza written on alef (U+064B–U+065F, U+0670), and the Devanagari
 * nukta (ज़ and ज). Other marks are kept: Devanagari vowel signs and Japanese voicing marks carry
 * the word itself, and dropping them would make unrelated words equal.
 */
const optionalMarks = /[\u0300-\u036f\u064b-\u065f\u0670\u093c]/g;
const onlyAscii = /^[\x00-\x7f]*$/;
const dotlessI = /ı/g;
const sharpS = /ß/g;
const polishL = /ł/g;
/** Arabic letters written either way: final tā' marbūṭa as hā', alif maqṣūra as yā', and the tatweel stretch. */
const tehMarbuta = /ة/g;
const alefMaksura = /ى/g;
const tatweel = /ـ/g;

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
    .replace(dotlessI, "i")
    .normalize("NFD")
    .replace(optionalMarks, "")
    .normalize("NFC")
    .replace(sharpS, "ss")
    .replace(polishL, "l")
    .replace(tehMarbuta, "ه")
    .replace(alefMaksura, "ي")
    .replace(tatweel, "");
}
