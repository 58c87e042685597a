import { UnsupportedMediaError, type MediaProblem } from "../errors.js";
import { defaultLanguage } from "../language/languages.js";
import { wordingFor, type Wording } from "../language/wording.js";

/** What a media reader could not do, in the user's words. */
export function mediaProblemText(problem: MediaProblem, words: Wording): string {
  switch (problem.kind) {
    case "not_pdf":
      return words.say("media.notPdf");
    case "pdf_damaged":
      return words.say("media.pdfDamaged");
    case "pdf_password":
      return words.say("media.pdfPassword");
    case "pdf_too_big":
      return words.say("media.pdfTooBig");
    case "pdf_too_slow": {
      const { timeLimitMs } = problem;
      const allowance = timeLimitMs >= 1_000 ? words.count("unit.second", Math.round(timeLimitMs / 1_000)) : `${timeLimitMs} ms`;
      return words.say("media.pdfTooSlow", { allowance });
    }
    case "image_unsupported":
      return words.say("media.imageUnsupported");
    case "image_damaged":
      return words.say("media.imageDamaged");
    case "image_too_heavy":
      return words.say("media.imageTooHeavy", { bytes: problem.maxBytes });
    case "image_too_many_pixels":
      return words.say("media.imageTooManyPixels", { width: problem.width, height: problem.height, megapixels: problem.megapixels });
    case "image_over_budget":
      return words.say("media.imageOverBudget", { width: problem.width, height: problem.height, megapixelsLeft: problem.megapixelsLeft });
  }
}

/** The error a media reader raises: the problem as data, its English words as the message. */
export function unsupportedMedia(problem: MediaProblem, options?: ErrorOptions): UnsupportedMediaError {
  return new UnsupportedMediaError(mediaProblemText(problem, wordingFor(defaultLanguage)), problem, options);
}
