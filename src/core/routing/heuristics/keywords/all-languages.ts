import { arabicKeywords } from "./arabic.js";
import { chineseKeywords } from "./chinese.js";
import { dutchKeywords } from "./dutch.js";
import { englishKeywords } from "./english.js";
import { germanKeywords } from "./german.js";
import { hindiKeywords } from "./hindi.js";
import { indonesianKeywords } from "./indonesian.js";
import { italianKeywords } from "./italian.js";
import { japaneseKeywords } from "./japanese.js";
import type { LanguageKeywords } from "./keyword-group.js";
import { marketNames } from "./market-names.js";
import { polishKeywords } from "./polish.js";
import { portugueseKeywords } from "./portuguese.js";
import { russianKeywords } from "./russian.js";
import { spanishKeywords } from "./spanish.js";
import { technicalTerms } from "./technical-terms.js";
import { turkishKeywords } from "./turkish.js";

/**
 * Every list is searched on every message: there is no language detection step, because people
 * mix languages ("pythonda liste", "docker-compose с postgres") and a wrong guess would hide
 * the very words that decide the role. To add a language, write one file and list it here.
 */
export const allKeywordLists: readonly LanguageKeywords[] = [
  technicalTerms,
  marketNames,
  englishKeywords,
  turkishKeywords,
  spanishKeywords,
  germanKeywords,
  russianKeywords,
  portugueseKeywords,
  italianKeywords,
  polishKeywords,
  dutchKeywords,
  indonesianKeywords,
  arabicKeywords,
  hindiKeywords,
  chineseKeywords,
  japaneseKeywords,
];
