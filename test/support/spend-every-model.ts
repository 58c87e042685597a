import { freeTierModels, type FakeGroq } from "../fakes/fake-groq/index.js";

/**
 * Every live model of the fake Groq answers its next call with a 429 for the day, three hours
 * to wait: the next message is told every model is busy and to retry in about 3 hours, and the
 * models stay out for every message after it.
 */
export function spendEveryModelsDay(groq: FakeGroq): void {
  for (const model of freeTierModels) {
    if (model.status !== "decommissioned") groq.inject(model.id, { kind: "rate_limit", window: "day", retryAfterSeconds: 3 * 3600, times: 1 });
  }
}

/** The busy reply to a chat message once `spendEveryModelsDay` has run, in each language Mami speaks. */
export const busyReplies = {
  en: "Every model for chatting is out of quota right now. Please try again in about 3 hours.",
  tr: "Şu anda sohbet için tüm modellerin kotası doldu. Lütfen yaklaşık 3 saat sonra tekrar dene.",
  es: "Todos los modelos para conversar se han quedado sin cuota por ahora. Vuelve a intentarlo dentro de 3 horas aproximadamente.",
  de: "Alle Modelle für Unterhaltungen haben gerade kein Kontingent mehr. Bitte versuch es in etwa 3 Stunden noch einmal.",
} as const;

/** A line of `/help` in each language, and the English one that must not show in the others. */
export const helpHeadings = {
  en: "How to talk to me",
  tr: "Benimle nasıl konuşulur",
  es: "Cómo hablar conmigo",
  de: "So sprichst du mit mir",
} as const;
