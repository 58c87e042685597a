import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Polish inflects nouns heavily ("pętla", "pętli", "pętlę"), so most entries are stems; "ł" folds
 * to "l" (see fold-text.ts). "wybór" (a choice) folds like "wybory" (elections), so only the
 * election forms are listed. A "programista" talked about is conversation, not a request.
 */
export const polishKeywords: LanguageKeywords = {
  language: "pl",
  groups: [
    { role: "code", strength: "strong", words: ["baz* danych", "wiersz* poleceń", "pętl*", "kompil*", "komunikat błędu", "napisz funkcję", "napisz program", "napisz skrypt", "wyrażeni* regularn*"] },
    { role: "code", strength: "medium", words: ["kod", "kodu", "kodzie", "kodem", "funkcj*", "zmienn*", "programowa*", "skrypt*", "repozytori*", "gałąź", "gałęzi", "gicie", "gita", "tablic*", "słownik*"] },
    { role: "code", strength: "weak", words: ["program", "programu", "błąd", "błędu", "błędy", "tabel*", "lista", "listę", "listy", "serwer*", "plik*", "zainstalowa*", "pakiet*"] },
    { role: "logic", strength: "strong", words: ["równani*", "prawdopodobieństw*", "pochodn*", "całk*", "udowodnij", "liczb* pierwsz*", "pierwiast*", "przekątn*", "silnia", "permutacj*", "kombinacj*", "twierdzeni*", "na ile sposobów", "ile jest możliwych"] },
    { role: "logic", strength: "medium", words: ["oblicz*", "rozwiąż*", "pole", "obwód", "procent*", "ile jest", "ile czasu", "suma", "sumę", "kolejnych liczb", "trójkąt*", "z rzędu", "prędkości*", "promieniu", "wyrzucenia", "razy starsz*", "razy młodsz*", "razy więcej", "razy mniej", "dwa razy", "średnia prędkość", "średnią prędkość"] },
    { role: "logic", strength: "weak", words: ["ile", "liczb*", "średni*", "parzyst*", "nieparzyst*", "kwadrat*", "rabat*", "reszt*", "ile lat"] },
    { role: "chat", strength: "strong", words: ["cześć", "siema", "hej", "dzień dobry", "dobranoc", "dzięki", "dziękuję", "co słychać", "jak się masz"] },
    { role: "chat", strength: "medium", words: ["poleć*", "polecisz", "wiersz", "wiersza", "żart*", "serial*", "film*", "książk*", "nudzi", "smutn*", "zmęczon*", "programist*", "chłopak", "dziewczyn*"] },
    { role: "chat", strength: "weak", words: ["przyjaci*", "rodzin*", "kot", "koty", "pies", "psy", "praca", "pracy"] },
    { role: "search", strength: "strong", words: ["pogod*", "prognoz* pogody", "kurs* walut", "kurs euro", "kurs dolara", "kurs franka", "najnowsze wiadomości", "wyniki wyborów", "ceny paliw", "notowani*", "giełd*", "tabela ligi", "będzie padać"] },
    { role: "search", strength: "medium", words: ["wiadomości", "wybory", "wyborów", "wyborach", "mecz*", "kto wygrał", "zagrał*", "akcje", "kurs", "najnowsze", "najnowszy", "premier*", "korki", "korkach", "nowy sezon", "strajk*", "co się dzieje"] },
    { role: "search", strength: "weak", words: ["kosztuje", "cena", "ceny", "wynik*", "deszcz*"] },
    { role: "search", strength: "hint", words: ["na dziś", "na dzisiaj", "dziś", "dzisiaj", "jutro", "wczoraj", "teraz", "obecnie", "aktualn*", "w tym roku", "następn*"] },
  ],
};
