export { startTelegramAdapter } from "./telegram-adapter.js";
export type { TelegramAdapterOptions } from "./telegram-adapter.js";
