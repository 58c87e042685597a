import type { Attachment } from "../request.js";

/** What the pipeline can do with a file: the one vocabulary for it, decided here only. */
export type AttachmentKind = "image" | "text" | "pdf" | "audio" | "unsupported";

const textExtensions = new Set([
  "txt", "md", "markdown", "csv", "tsv", "json", "jsonl", "yaml", "yml", "toml", "ini", "cfg", "conf", "env", "log", "xml", "html", "htm", "css",
  "js", "mjs", "cjs", "ts", "tsx", "jsx", "py", "rb", "go", "rs", "java", "kt", "kts", "scala", "c", "h", "cc", "cpp", "hpp", "cs", "php",
  "swift", "m", "sh", "bash", "zsh", "fish", "ps1", "sql", "r", "lua", "pl", "hs", "ex", "exs", "erl", "clj", "dart", "vue", "svelte",
  "gradle", "dockerfile", "makefile", "tf", "proto", "graphql", "tex", "rst", "srt", "vtt",
]);

const textMimeTypes = /^(text\/|application\/(json|xml|x-yaml|yaml|toml|javascript|typescript|x-sh|sql|x-python|csv))/;

function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower === "dockerfile" || lower === "makefile") return lower;
  const dot = lower.lastIndexOf(".");
  return dot === -1 ? "" : lower.slice(dot + 1);
}

const audioExtensions = new Set(["ogg", "oga", "opus", "mp3", "m4a", "wav", "flac", "webm"]);

/**
 * What the pipeline can do with an attachment, from its mime type, its name and the platform's
 * voice-message flag. Platforms label files loosely (a .py file often arrives as
 * application/octet-stream), so the name counts as much as the mime type.
 */
export function attachmentKindOf(attachment: Attachment): AttachmentKind {
  const mime = attachment.mimeType.toLowerCase();
  const extension = extensionOf(attachment.name);
  if (mime.startsWith("image/")) return "image";
  // A video (a Telegram video sticker is "sticker.webm") is not audio, whatever its extension says.
  if (mime.startsWith("video/") && attachment.isVoiceMessage !== true) return "unsupported";
  if (attachment.isVoiceMessage === true || mime.startsWith("audio/") || audioExtensions.has(extension)) {
    return "audio";
  }
  if (mime === "application/pdf" || extension === "pdf") return "pdf";
  if (textMimeTypes.test(mime) || textExtensions.has(extension)) return "text";
  return "unsupported";
}
