import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Arabic, folded without short vowels or the hamza on alef (see fold-text.ts), so "أخبار" and
 * "اخبار" are one entry. Prefixes glue onto words ("بالملل", "والطقس"), and a keyword only matches
 * a whole word or a word that starts with it, so the usual forms with the article are listed too.
 * "مصفوفة" is both an array and a matrix, and "خطأ" any mistake: both stay weak.
 */
export const arabicKeywords: LanguageKeywords = {
  language: "ar",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["قاعدة بيانات", "قواعد بيانات", "قاعدة البيانات", "قواعد البيانات", "لغة برمجة", "سطر الأوامر", "رسالة خطأ", "جافاسكربت", "جافا سكربت", "جافاسكريبت", "جافا سكريبت", "بايثون"],
    },
    { role: "code", strength: "medium", words: ["كود", "الكود", "كودي", "برمجة", "البرمجة", "دالة", "الدالة", "دوال", "متغير*", "المتغير*", "خوارزمي*", "الخوارزمي*", "جافا", "فرعا", "الفرع"] },
    { role: "code", strength: "weak", words: ["مصفوفة", "المصفوفة", "خطأ", "الخطأ", "قائمة", "القائمة", "برنامج", "البرنامج", "ملف", "الملف", "موقع"] },
    {
      role: "logic",
      strength: "strong",
      words: ["معادلة", "المعادلة", "المعادلات", "احتمال", "الاحتمال", "احتمالية", "مشتقة", "المشتقة", "تكامل", "التكامل", "برهن", "أثبت", "الأعداد الأولية", "عدد أولي", "أعداد أولية", "الجذر التربيعي", "نصف قطرها", "نصف القطر"],
    },
    { role: "logic", strength: "medium", words: ["احسب", "أحسب", "مساحة", "المساحة", "محيط", "فكم", "مجموع", "حجر نرد", "النرد", "زوجي", "فردي", "نسبة مئوية", "كسر", "الكسور", "حل"] },
    { role: "logic", strength: "weak", words: ["كم عدد", "كم", "عدد", "الأعداد", "أعداد", "ثمن", "نسبة"] },
    { role: "chat", strength: "strong", words: ["مرحبا", "أهلا", "السلام عليكم", "كيف حالك", "شكرا", "صباح الخير", "مساء الخير", "تصبح على خير"] },
    { role: "chat", strength: "medium", words: ["انصحني", "نصيحة", "قصيدة", "شعر", "نكتة", "قصة", "كتاب", "بكتاب", "فيلم", "بالملل", "ملل", "حزين", "تعبان", "أشعر", "مبرمج", "العطلة"] },
    { role: "chat", strength: "weak", words: ["صديق*", "عائلت*", "أخي", "أختي", "أمي", "أبي", "القطط", "قطة"] },
    {
      role: "search",
      strength: "strong",
      words: ["الطقس", "طقس", "والطقس", "سعر الدولار", "سعر الذهب", "سعر الصرف", "سعر صرف", "أسعار الصرف", "آخر الأخبار", "آخر أخبار", "نتائج الانتخابات", "البورصة", "أسعار النفط", "سعر النفط"],
    },
    { role: "search", strength: "medium", words: ["أخبار", "الأخبار", "الانتخابات", "مباراة", "المباراة", "من فاز", "الأسهم", "أسعار", "سعر", "الدولار", "الذهب", "حاليا"] },
    { role: "search", strength: "weak", words: ["اليوم", "الآن", "غدا", "أمس", "البارحة", "الدوري"] },
  ],
};
