import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Names of coins, stock indices and leagues, written in Latin letters whatever the language of
 * the message: their value or standings change by the hour, so a question naming them almost
 * always wants today's figures. Names that are also ordinary words or code ("dax" is fine,
 * "eth" or "crypto" are not) stay out or weak.
 */
export const marketNames: LanguageKeywords = {
  language: "",
  groups: [
    {
      role: "search",
      strength: "medium",
      words: [
        "bitcoin*", "btc", "ethereum", "dogecoin", "solana", "nasdaq", "dow jones", "s&p 500", "ftse", "nikkei", "sensex", "nifty", "ibovespa", "bist 100", "bist100", "forex", "nba", "nfl", "premier league", "champions league",
        "la liga", "bundesliga", "formula 1", "nobel", "grammy*", "tour de france", "wimbledon", "roland garros", "eredivisie", "ligue 1", "süper lig", "liga mx", "euroleague", "ipl",
      ],
    },
    { role: "search", strength: "weak", words: ["crypto", "dax", "ufc", "f1"] },
  ],
};
