import type { LanguageKeywords } from "./keyword-group.js";

/**
 * German keywords; umlauts and ß are folded ("Lösung" matches "losung" and "loesung" does not,
 * which is acceptable). Compounds are common, so stems carry `*` ("Gleichung*" covers
 * "Gleichungssystem").
 */
export const germanKeywords: LanguageKeywords = {
  language: "de",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["fehlermeldung*", "datenbank*", "kommandozeile*", "quellcode*", "programmcode*", "schreib eine funktion", "schreib mir eine funktion", "regulärer ausdruck", "regulären ausdruck*"],
    },
    {
      role: "code",
      strength: "medium",
      words: ["abfrage*", "schleife*", "skript*", "kompilier*", "zeichenkette*", "schnittstelle*", "einlesen", "algorithmus", "algorithmen", "rekursi*", "funktion", "funktionen", "programmier*", "befehl*", "variable*"],
    },
    {
      role: "code",
      strength: "weak",
      words: ["fehler*", "datei*", "dateien", "bibliothek*", "spalte*", "tabelle*", "ausgabe", "eingabe", "server*", "anwendung*", "ordner*", "installier*", "klasse*"],
    },
    {
      role: "logic",
      strength: "strong",
      words: [
        "gleichung*", "ableitung*", "ableiten", "integral*", "beweis*", "wahrscheinlichkeit*", "primzahl*", "rätsel*", "knobel*", "standardabweichung", "aussagenlogik", "flächeninhalt*", "quadratwurzel*", "zinseszins*",
        "satz des", "induktion", "nächste zahl", "teorem*", "theorem*", "logarithmus", "fakultät von", "wie viele möglichkeiten",
      ],
    },
    {
      role: "logic",
      strength: "medium",
      words: [
        "berechne*", "berechnung*", "prozent*", "geschwindigkeit*", "formel*", "mittelwert*", "schlussfolger*", "dreieck*", "wurzel*", "teilbar*", "löse die", "löse diese", "lösen sie", "würfel*", "rechnen", "rechne",
        "logisch gültig", "gültig", "folglich", "daraus folgt", "vereinfache*", "bruch", "brüche", "kombinatorik", "geometrie", "trigonometrie", "algebra", "matrix", "jahre älter", "umfang", "doppelt so", "dreimal so", "viermal so", "fünfmal so", "halb so", "so alt wie", "durchschnittsgeschwindigkeit*", "handschl*", "hand geben",
      ],
    },
    {
      role: "logic",
      strength: "weak",
      words: ["wie viel*", "wie viele", "wie lange", "wie alt", "summe*", "durchschnitt*", "logisch", "aussage*", "fläche*", "kreis*", "zahl", "zahlen", "aufgabe*", "lotto", "münze*", "mathe*", "als nächstes", "zusammen", "möglichkeiten", "rabatt*", "rest"],
    },
    {
      role: "chat",
      strength: "strong",
      words: ["moin*", "hallo", "servus", "grüß gott", "guten morgen", "guten tag", "guten abend", "gute nacht", "wie geht*", "danke*", "vielen dank", "tschüss"],
    },
    {
      role: "chat",
      strength: "medium",
      words: [
        "hältst du", "meinung", "tipps", "tipp", "empfehl*", "empfiehl*", "lohnt sich", "lohnt es sich", "rezept*", "geburtstag*", "schenken", "geschenk*", "nervös", "müde", "traurig", "gestresst", "langweilig", "einsam",
        "vorstellungsgespräch*", "bewerbung*", "gehalt*", "karriere*", "freundin", "film*", "urlaub*", "reise*", "studieren", "studium", "geschlafen", "schlaf*",
      ],
    },
    {
      role: "chat",
      strength: "weak",
      words: ["arbeit*", "chef*", "freund*", "serie*", "buch", "bücher", "stadt", "leben", "wochenende*", "überlege*", "hey"],
    },
    {
      role: "search",
      strength: "strong",
      words: ["wetter*", "wechselkurs*", "aktienkurs*", "aktuelle nachrichten", "neueste nachrichten", "nachrichten von heute", "wahlergebnis*", "börsenkurs*", "benzinpreis*", "spritpreis*", "goldpreis*", "liveticker", "spielstand", "aktuelle lage", "tabellenstand", "wird es regnen"],
    },
    {
      role: "search",
      strength: "medium",
      words: ["nachrichten", "news", "schlagzeilen", "börse*", "aktie", "aktien", "kurs", "wahl", "wahlen", "bundestagswahl", "landtagswahl", "streik*", "gespielt", "wer hat gewonnen", "wie steht", "erscheint", "neue staffel", "stau*", "verspätung*", "regnet es", "lage"],
    },
    { role: "search", strength: "weak", words: ["preis", "preise", "kostet", "ergebnis*", "spiel", "tabelle", "dollar", "euro", "regen"] },
    { role: "search", strength: "hint", words: ["gerade", "zurzeit", "momentan", "diese woche", "heute", "morgen", "gestern", "jetzt", "aktuell*", "neueste*", "dieses jahr", "nächste", "nächsten"] },
  ],
};
