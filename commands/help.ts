import { z } from "zod";
import { noticeStream } from "../src/core/reply.js";
import type { CommandDefinition } from "./definition.js";

const helpText = [
  "**Mami** answers with whichever Groq model fits your question and still has quota:",
  "chat, logic and math, code, images (vision) and long documents each have their own models,",
  "and questions about news, prices, weather or results are looked up on the web.",
  "",
  "**How to talk to me**",
  "- In a private chat or DM: just write.",
  "- In a group or channel: mention me, or reply to one of my messages to continue that thread. I see the recent messages of the chat, so you can ask about the discussion.",
  "- Send images, text or code files, PDFs and voice messages with your question.",
  "- A document too long for any model is read in parts across all of them; a message shows how far I am. Reply to the answer to ask more about it.",
  "",
  "**Commands**",
  "- `/ask <question>`: ask (in groups, without mentioning me)",
  "- `/search <question>`: look it up on the web and answer with the sources (a few a day each; news, prices and weather questions are looked up anyway)",
  "- `/reset`: forget this conversation",
  "- `/model [role|model|auto]`: show or pin the role or model for this conversation",
  "- `/status`: which models are live and how much quota each has left",
  "- `/persona [text|reset]`: show or set how I act in this chat (in groups, its admins set it)",
  "- `/usage`: your requests and tokens today, and your budget",
  "- `/stats`: the whole bot's day (for its operators)",
  "- `/cancel`: stop reading a long document",
  "- `/help`: this text",
].join("\n");

export const helpCommand: CommandDefinition<Record<string, never>> = {
  name: "help",
  aliases: ["start"],
  description: "What Mami does and how to address it",
  options: [],
  schema: z.object({}),
  run: () => noticeStream(helpText),
};
