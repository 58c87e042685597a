export { startTelegramBot } from "./telegram-bot.js";
export type { RunningTelegramBot, TelegramBotOptions } from "./telegram-bot.js";
