import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Japanese. Kanji and kana are words of one character each (see words.ts), so katakana loan words
 * are matched character by character ("コード" is コ ー ド). "エンジニア" or "プログラマー" talked
 * about is conversation; "合計" (total) comes up in code requests as often as in sums, so it stays weak.
 */
export const japaneseKeywords: LanguageKeywords = {
  language: "ja",
  groups: [
    { role: "code", strength: "strong", words: ["配列", "変数", "文字列", "データベース", "デバッグ", "コンパイル", "関数", "コミット", "正規表現", "プログラミング"] },
    { role: "code", strength: "medium", words: ["コード", "プログラム", "エラー", "コンポーネント", "コンテナ", "スクリプト", "ライブラリ", "実装", "ブランチ"] },
    { role: "code", strength: "weak", words: ["リスト", "逆順", "重複", "起動", "インストール", "ファイル"] },
    { role: "logic", strength: "strong", words: ["方程式", "確率", "微分", "積分", "証明", "何通り", "素数", "平方根", "階乗", "推論"] },
    { role: "logic", strength: "medium", words: ["面積", "求め", "計算", "何時間", "時速", "半径", "整数", "体積", "周りの長さ", "三角形", "サイコロ", "すべての", "掛けて", "足すと", "平均速度", "割引", "定価", "何個", "分の", "何円"] },
    { role: "logic", strength: "weak", words: ["合計", "一番", "より", "残り", "何人"] },
    { role: "chat", strength: "strong", words: ["こんにちは", "ありがとう", "おはよう", "こんばんは", "おやすみ"] },
    { role: "chat", strength: "medium", words: ["元気", "おすすめ", "詩", "アニメ", "疲れ", "彼氏", "彼女", "エンジニア", "プログラマー", "どうしたらいい", "好きなの"] },
    { role: "chat", strength: "weak", words: ["猫", "犬", "友達", "話"] },
    { role: "search", strength: "strong", words: ["天気予報", "為替", "株価", "試合結果", "ドル円", "日経平均", "ニュース", "興行収入", "終値"] },
    { role: "search", strength: "medium", words: ["最新", "ビットコイン", "選挙", "相場", "発売", "ノーベル", "遅延", "運行情報", "公開", "ストライキ", "順位", "何が起きて", "降りますか", "天気"] },
    { role: "search", strength: "weak", words: ["結果", "試合", "価格", "値段", "雨"] },
    { role: "search", strength: "hint", words: ["今日", "明日", "昨日", "今", "今年", "今の"] },
  ],
};
