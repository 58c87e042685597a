import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Turkish is agglutinative ("türevini", "olasılığı", "veritabanında"), so almost every entry is a
 * stem. Folding makes "türev" and "turev", "olasılık" and "olasilik" the same entry. Everyday
 * words with a second meaning stay weak: "dizi" is also a TV series, "sınıf" a school class,
 * "hata" any mistake, "mantıklı" just "reasonable".
 */
export const turkishKeywords: LanguageKeywords = {
  language: "tr",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["veritaban*", "veri taban*", "derleyici*", "hata mesaj*", "hata kod*", "komut satir*", "sonsuz döngü*", "for döngü*", "while döngü*", "kod yaz*", "kodu yaz*", "kodunu yaz*", "yazilim hata*"],
    },
    {
      role: "code",
      strength: "medium",
      words: ["ters çevir*", "kod", "kodu", "kodum*", "kodun*", "kodda", "kodlar*", "kodla*", "hata*", "döngü*", "sorgu*", "derle*", "algoritma*", "betik*", "komut*", "nesne*", "fonksiyon*", "değişken*", "parametre*", "sunucu*", "terminal*", "kütüphane*", "arayüz*"],
    },
    {
      role: "code",
      strength: "weak",
      words: ["çalıştır*", "yazılım*", "uygulama*", "dosya*", "klasör*", "satır*", "tablo*", "liste", "listeyi", "listesi", "listede", "listeye", "listeler*", "site*", "kurulum*", "yükle*", "bağlan*"],
    },
    {
      role: "logic",
      strength: "strong",
      words: [
        "türev*", "integral*", "denklem*", "olasılı*", "ispat*", "kanıtla*", "tümevarım*", "asal sayı*", "ebob", "ekok", "faktöriyel*", "permütasyon*", "kombinasyon*", "karekök*", "logaritma*", "kaç farklı", "mantık sorusu",
        "mantık sorular*", "bilmece*", "bulmaca*", "zeka sorusu", "zeka sorular*", "teorem*", "trigonometri*", "standart sapma*", "varyans*", "aritmetik dizi", "geometrik dizi", "matematik sorusu", "problem çöz*",
      ],
    },
    {
      role: "logic",
      strength: "medium",
      words: [
        "hesapla*", "matris*", "asal", "kaçtır", "kaç günde", "kaç saatte", "kaç dakikada", "kaç yılda", "yüzde*", "toplamı", "çarpım*", "kesir*", "formül*", "geometri*", "üçgen*", "ispatla*", "limit", "limiti", "limitini", "sinüs*",
        "kosinüs*", "ihtimal*", "zar at*", "çöz", "çözer misin", "çözün", "katının", "katı", "katını", "fazlası", "eksiği", "medyan*", "oranı", "orantı*", "mantık", "o halde", "öyleyse", "buna göre", "sadeleştir*", "ortalama hız*", "kaç yaşında", "kaç farklı şekilde",
      ],
    },
    {
      role: "logic",
      strength: "weak",
      words: ["kaç", "kac", "ne kadar", "çöz*", "sayı*", "rakam*", "toplam*", "ortalama*", "çarp", "çarpı", "çarpar*", "çarpıl*", "hız", "hızı", "hızla", "hızıyla", "yarısı", "işlem*", "eşit*", "rastgele", "zar", "matematik*", "doğru mu*", "yanlış mı*", "oran", "oranında", "göster", "dolayısıyla", "kalan", "indirim*"],
    },
    {
      role: "chat",
      strength: "strong",
      words: ["selam*", "merhaba*", "naber*", "nbr", "slm", "mrb", "nasılsın*", "nasılsınız", "teşekkür*", "sağol*", "sağ ol*", "eyvallah", "günaydın", "iyi geceler", "iyi akşamlar", "hoşça kal", "görüşürüz", "kolay gelsin"],
    },
    {
      role: "chat",
      strength: "medium",
      words: [
        "sence", "tavsiye*", "öneri*", "önerir*", "ne dersin", "fikrin*", "sıkıl*", "canım sıkıl*", "üzgün*", "yorgun*", "mutsuz*", "stres*", "kariyer*", "maaş*", "iş ilan*", "mülakat*", "iş yeri*", "iş yerinde", "para kazan*", "iş bul*", "iş ara*",
        "yazılımcı*", "izle*", "dizi", "film*", "kitap*", "şarkı*", "şiir*", "hikaye*", "fıkra*", "doğum günü*", "hediye*", "tatil*", "gezi*", "gezeyim", "gezilecek", "yemek*", "çevir*", "ingilizce*", "kedi*", "köpe*",
        "en sevdiğin", "hissediyorum", "arkadaş*", "sevgili*", "ailem*", "annem*", "babam*",
      ],
    },
    {
      role: "chat",
      strength: "weak",
      words: ["yalnız*", "ne zaman", "ne yapmalıyım", "ne yapsam", "ne yapabilirim", "hayat*", "normal mi", "sen olsan", "mesaj*", "akşam*", "öğrenmeli*"],
    },
    {
      role: "search",
      strength: "strong",
      words: ["hava durumu", "hava nasıl*", "döviz*", "dolar kur*", "euro kur*", "son dakika", "son haber*", "canlı skor*", "kaç kaç", "maç sonu*", "seçim sonuç*", "borsa*", "altın fiyat*", "gram altın", "benzin fiyat*", "akaryakıt*", "hisse fiyat*", "puan durumu", "gişe*"],
    },
    {
      role: "search",
      strength: "medium",
      words: ["haber*", "gündem*", "hisse*", "seçim*", "maç", "maçı", "maçın*", "maçta", "skor*", "kim kazandı", "deprem*", "vizyon*", "yeni sezon", "trafik*", "açıklandı mı", "zam", "zammı", "yağmur yağacak mı", "grev*", "son durum*"],
    },
    { role: "search", strength: "weak", words: ["fiyat*", "kaç tl", "kaç lira", "dolar", "doları", "euro", "euroyu", "sterlin", "altın", "yağmur"] },
    { role: "search", strength: "hint", words: ["şu an", "şu anda", "şimdi", "güncel*", "bugün", "bugünkü", "yarın", "yarınki", "dün", "dünkü", "en son", "bu yıl", "bu hafta", "bu sezon"] },
  ],
};
