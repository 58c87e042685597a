import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Hindi in Devanagari, and the common words of Hindi typed in Latin letters ("kaise", "yaar").
 * The nukta is folded away (see fold-text.ts), so "फ़ंक्शन" and "फंक्शन" are one entry. "कल" is
 * both yesterday and tomorrow and "योग" both a sum and yoga: they stay weak.
 */
export const hindiKeywords: LanguageKeywords = {
  language: "hi",
  groups: [
    { role: "code", strength: "strong", words: ["फंक्शन", "डेटाबेस", "वेरिएबल", "प्रोग्रामिंग", "एरर", "कोडिंग"] },
    { role: "code", strength: "medium", words: ["कोड", "प्रोग्राम", "लिस्ट", "ब्रांच", "सॉर्ट", "लूप", "स्क्रिप्ट", "सर्वर", "ऐप", "वेबसाइट", "बग"] },
    { role: "code", strength: "weak", words: ["फाइल", "इंस्टॉल", "टेबल", "बनाएं"] },
    { role: "logic", strength: "strong", words: ["समीकरण", "प्रायिकता", "क्षेत्रफल", "अभाज्य", "भाजक", "योगफल", "वर्गमूल", "प्रमेय", "सिद्ध करो", "सिद्ध कीजिए", "कितने तरीके"] },
    { role: "logic", strength: "medium", words: ["हल करो", "हल कीजिए", "हल करें", "गणना", "परिमाप", "संभावना", "दोगुनी", "दोगुना", "तिगुना", "प्रतिशत", "औसत", "गुणा", "पासे", "पासा", "कितने घंटे", "कितने दिन", "कितना समय", "सम संख्या*", "विषम संख्या*", "लाभ प्रतिशत", "लाभ", "हानि", "औसत गति", "गुना"] },
    { role: "logic", strength: "weak", words: ["योग", "उम्र", "कितना", "कितने", "कितनी", "संख्या*", "लंबाई", "चौड़ाई", "दूरी", "छूट", "शेष"] },
    { role: "chat", strength: "strong", words: ["नमस्ते", "नमस्कार", "धन्यवाद", "शुक्रिया", "कैसे हो", "कैसे हैं", "namaste", "shukriya", "dhanyavad", "kaise ho", "kya haal"] },
    { role: "chat", strength: "medium", words: ["कविता", "कहानी", "फिल्म", "चुटकुला", "उदास", "बोर", "yaar", "bore", "baat karo", "बात करो", "बातें करो", "प्रोग्रामर"] },
    { role: "chat", strength: "weak", words: ["दोस्त", "भाई", "परिवार", "बारिश", "नींद"] },
    { role: "search", strength: "strong", words: ["मौसम", "ताजा खबर*", "शेयर बाजार", "सेंसेक्स", "निफ्टी", "कौन जीता", "सोने का भाव", "डॉलर का रेट", "चुनाव के नतीजे", "समाचार", "अंक तालिका", "बारिश होगी"] },
    { role: "search", strength: "medium", words: ["खबर*", "रेट", "भाव", "चुनाव", "नतीजे", "मैच", "स्कोर", "डॉलर", "आईपीएल", "रिलीज", "पेट्रोल की कीमत", "हड़ताल", "क्या हो रहा है"] },
    { role: "search", strength: "weak", words: ["ताजा", "कीमत", "दाम"] },
    { role: "search", strength: "hint", words: ["आज", "अभी", "कल"] },
  ],
};
