import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Italian. "storia" is both a story and history, "base" also a foundation: they stay weak. "ora" is
 * both "now" and "hour", so it does not count at all; "programmatrice" or "programmatore" talked
 * about is conversation.
 */
export const italianKeywords: LanguageKeywords = {
  language: "it",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["base di dati", "codice sorgente", "riga di comando", "messaggio di errore", "scrivi una funzione", "scrivi un programma", "scrivi uno script", "espressione regolare", "ciclo for", "ciclo while"],
    },
    { role: "code", strength: "medium", words: ["codice", "funzione", "funzioni", "variabil*", "algoritm*", "compila*", "stringa*", "programmare", "programmazione", "branch", "query"] },
    { role: "code", strength: "weak", words: ["errore*", "lista", "liste", "dizionari*", "server", "libreria*", "installa*", "cartella*"] },
    {
      role: "logic",
      strength: "strong",
      words: ["equazion*", "derivat*", "integral*", "probabilità", "dimostra*", "teorema*", "numero primo", "numeri primi", "radice quadrata", "fattoriale", "permutazion*", "combinazion*", "logaritm*", "indovinell*", "in quanti modi"],
    },
    {
      role: "logic",
      strength: "medium",
      words: ["calcola*", "risolvi*", "percentuale", "per cento", "area", "perimetro", "triangolo*", "frazion*", "somma", "quanto tempo impiega", "di fila", "moneta", "dadi", "dado", "velocità media", "strette di mano"],
    },
    { role: "logic", strength: "weak", words: ["quanti", "quante", "numeri", "numero", "media", "altezza", "base", "differenza", "possiamo dire", "alcuni", "zampe", "teste", "in tutto", "quanti sono", "sconto*", "resto", "quanti anni"] },
    { role: "chat", strength: "strong", words: ["ciao", "salve", "buongiorno", "buonasera", "buonanotte", "grazie", "come stai", "come va"] },
    {
      role: "chat",
      strength: "medium",
      words: ["consigli*", "poesia*", "barzellett*", "film", "libro*", "serie tv", "triste", "stanc*", "annoiat*", "rilassar*", "programmatric*", "programmator*"],
    },
    { role: "chat", strength: "weak", words: ["storia", "amic*", "famiglia", "lavoro", "stasera", "cielo", "gatto", "gatti", "cane"] },
    {
      role: "search",
      strength: "strong",
      words: ["che tempo farà", "che tempo fa", "previsioni del tempo", "previsioni meteo", "meteo", "ultime notizie", "notizie di oggi", "tasso di cambio", "risultati delle elezioni", "risultato della partita", "in diretta", "prezzo della benzina", "chi ha vinto", "pioverà", "botteghino", "classifica"],
    },
    { role: "search", strength: "medium", words: ["notizie", "elezioni", "partita", "borsa", "azioni", "quotazion*", "nuova stagione", "traffico", "spread", "gioca", "giocano", "sciopero*", "cosa sta succedendo"] },
    { role: "search", strength: "weak", words: ["prezzo*", "costa", "vale", "dollaro", "euro", "pioggia"] },
    { role: "search", strength: "hint", words: ["adesso", "attualmente", "in questo momento", "oggi", "domani", "ieri", "ieri sera", "attual*", "ultim*", "quest'anno", "a che ora", "stasera", "prossimo", "prossima"] },
  ],
};
