import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Dutch. "weer" is both the weather and "again", so it counts only in "wat voor weer", "het weer"
 * and the forecast words; "morgen" is both tomorrow and morning. A "programmeur" talked about is
 * conversation, while "programmeren" is a request.
 */
export const dutchKeywords: LanguageKeywords = {
  language: "nl",
  groups: [
    { role: "code", strength: "strong", words: ["foutmelding*", "schrijf een functie", "schrijf een programma", "schrijf een script", "opdrachtregel", "broncode"] },
    { role: "code", strength: "medium", words: ["functie*", "variabele*", "programmeer*", "programmeren", "lus", "lussen", "installeer*", "pakket*"] },
    { role: "code", strength: "weak", words: ["fout", "fouten", "lijst", "lijsten", "tabel*", "sorteer*", "branch", "bestand*", "map"] },
    { role: "logic", strength: "strong", words: ["vergelijking*", "kansberekening", "waarschijnlijkheid", "afgeleide", "integraal", "bewijs dat", "priemgetal*", "vierkantswortel", "deelbaar", "faculteit", "stelling van", "op hoeveel manieren"] },
    { role: "logic", strength: "medium", words: ["bereken*", "los de", "oppervlakte", "omtrek", "procent", "driehoek*", "dobbelste*", "hoe lang doet", "getallen", "getal", "kans", "ouder dan", "jonger dan", "gemiddeld*", "gemiddelde snelheid"] },
    { role: "logic", strength: "weak", words: ["hoeveel", "per uur", "jongste", "oudste", "som", "basis", "hoogte", "samen", "korting", "rest", "hoe oud"] },
    { role: "chat", strength: "strong", words: ["hoi", "hallo", "hoe gaat het", "bedankt", "dank je", "dankjewel", "goedemorgen", "goedenavond", "welterusten", "doei"] },
    { role: "chat", strength: "medium", words: ["aanraden", "aanrader", "gedicht*", "verhaal*", "grap*", "boek", "boeken", "film*", "vakantie", "verdrietig", "eenzaam", "verveel*", "programmeur*", "vriendin", "vriend"] },
    { role: "chat", strength: "weak", words: ["familie", "werk", "kat", "katten", "hond", "honden", "moe"] },
    { role: "search", strength: "strong", words: ["wat voor weer", "het weer", "weerbericht*", "weersverwachting*", "wisselkoers*", "laatste nieuws", "benzineprijs*", "beurskoers*", "uitslag*", "gaat het regenen"] },
    { role: "search", strength: "medium", words: ["nieuws", "koers*", "verkiezing*", "wedstrijd*", "gespeeld", "wie heeft gewonnen", "aandeel", "aandelen", "beurs", "gewonnen", "nieuwe seizoen", "volgende trein", "vertrektijd*", "files", "staking*", "stand in de", "wat gebeurt er"] },
    { role: "search", strength: "weak", words: ["prijs", "kost", "kosten", "weer", "regen", "stand"] },
    { role: "search", strength: "hint", words: ["op dit moment", "momenteel", "vandaag", "morgen", "gisteren", "gisteravond", "nu", "actueel*", "dit jaar", "volgende"] },
  ],
};
