/**
 * Letters of scripts that no keyword list covers: Greek, Armenian, Hebrew, the Indic scripts
 * other than Devanagari (Bengali to Sinhala), Thai, Lao, Georgian, Ethiopic, Khmer, Myanmar and
 * Hangul. Explicit ranges, not Unicode script properties, whose tables cost their compilation at
 * every start of a process.
 */
const uncoveredLetter =
  /[\u0370-\u03ff\u0530-\u058f\u0590-\u05ff\u0980-\u0dff\u0e00-\u0eff\u1000-\u109f\u10a0-\u10ff\u1100-\u11ff\u1200-\u137f\u1780-\u17ff\u3130-\u318f\uac00-\ud7af]/;

/**
 * True when the prose is written in a script none of the keyword lists reads. Silence there is
 * no sign of small talk: a Korean math question has no keyword the lists know either, so such a
 * message is not called chat with confidence just because nothing matched.
 */
export function isWrittenInUncoveredScript(prose: string): boolean {
  return uncoveredLetter.test(prose);
}
