import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Indonesian (and Malay). Words take prefixes ("menghitung", "membalik"), so the common forms are
 * listed. "peluang" is both a probability and an opportunity, "luas" both an area and "wide":
 * medium. A "programmer" talked about ("pacarku programmer") is conversation.
 */
export const indonesianKeywords: LanguageKeywords = {
  language: "id",
  groups: [
    { role: "code", strength: "strong", words: ["basis data", "perulangan", "pemrograman", "bahasa pemrograman", "kode sumber"] },
    { role: "code", strength: "medium", words: ["kode", "kodenya", "fungsi", "variabel", "skrip", "looping", "membalik", "tabel"] },
    { role: "code", strength: "weak", words: ["program", "aplikasi", "berkas", "folder", "instal"] },
    { role: "logic", strength: "strong", words: ["persamaan", "probabilitas", "turunan", "buktikan", "bilangan prima", "akar kuadrat", "faktorial", "teorema", "berapa cara", "banyak cara"] },
    { role: "logic", strength: "medium", words: ["peluang", "hitung*", "menghitung", "selesaikan", "luas", "keliling", "jari-jari", "dadu", "rata-rata", "persen", "bilangan", "umur", "kali umur", "dua kali", "tiga kali", "sedangkan", "kecepatan rata-rata", "kecepatan"] },
    { role: "logic", strength: "weak", words: ["berapa", "jumlah", "kali", "genap", "ganjil", "angka", "diskon", "sisa", "menyusun"] },
    { role: "chat", strength: "strong", words: ["halo", "hai", "apa kabar", "terima kasih", "makasih", "selamat pagi", "selamat malam"] },
    { role: "chat", strength: "medium", words: ["rekomendasi*", "puisi", "cerita", "lelucon", "film", "sedih", "bosan", "capek", "pacar*", "ngobrol", "programmer", "nonton"] },
    { role: "chat", strength: "weak", words: ["teman", "keluarga", "kucing", "anjing", "tidur", "dong"] },
    { role: "search", strength: "strong", words: ["cuaca", "kurs dolar", "kurs rupiah", "berita terbaru", "berita terkini", "harga emas", "hasil pertandingan", "siapa yang menang", "harga saham", "klasemen", "akan hujan", "kurs euro"] },
    { role: "search", strength: "medium", words: ["berita", "kurs", "terbaru", "terkini", "saham", "pemilu", "pertandingan", "skor", "menang", "rilis", "jadwal", "gempa", "macet", "mogok", "apa yang terjadi"] },
    { role: "search", strength: "hint", words: ["hari ini", "sekarang", "besok", "kemarin", "saat ini", "tahun ini", "terbaru"] },
    { role: "search", strength: "weak", words: ["harga", "hujan"] },
  ],
};
