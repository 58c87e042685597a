import type { Attachment } from "../request.js";

export type ReadableKind = "image" | "text" | "pdf" | "audio" | "unsupported";

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

/**
 * What the pipeline can do with an attachment. The adapter's kind is a hint; the mime type and
 * the file name decide, since platforms label files loosely (a .py file often arrives as
 * application/octet-stream).
 */
export function classifyAttachment(attachment: Attachment): ReadableKind {
  const mime = attachment.mimeType.toLowerCase();
  const extension = extensionOf(attachment.name);
  if (attachment.kind === "image" || mime.startsWith("image/")) return "image";
  if (attachment.kind === "audio" || mime.startsWith("audio/") || ["ogg", "oga", "opus", "mp3", "m4a", "wav", "flac", "webm"].includes(extension)) {
    return "audio";
  }
  if (mime === "application/pdf" || extension === "pdf") return "pdf";
  if (textMimeTypes.test(mime) || textExtensions.has(extension)) return "text";
  return "unsupported";
}
