/**
 * What runs inside the PDF worker thread. `readPdfInWorker` is shipped to the worker as source
 * text (`Function.prototype.toString`), which works the same from the TypeScript sources under
 * vitest and from the esbuild bundle, with no extra file to build or find. So it must stay
 * self-contained: it may use its parameters and JavaScript globals only, never an import or
 * anything else from this module's scope (types are fine: they are erased).
 */

export interface PdfWorkerInput {
  readonly bytes: Uint8Array;
  /** file: URL of pdf.js, resolved by the main thread from where pdf-parse is installed. */
  readonly pdfjsUrl: string;
  readonly maxPages: number;
  readonly maxCharacters: number;
  /** The worker stops reading this long after it started and says so; the main thread kills it a little later. */
  readonly timeLimitMs: number;
}

export type PdfWorkerMessage =
  | { readonly type: "opened"; readonly pages: number }
  /** The text of the next page, in order; the last one sent may be only part of its page. */
  | { readonly type: "page"; readonly text: string }
  | { readonly type: "done"; readonly cut: "page_limit" | "text_limit" | "time_limit" | undefined }
  | { readonly type: "failed"; readonly name: string; readonly message: string };

/** The few pdf.js calls used: open the document, then stream each page's text. */
interface PdfJs {
  getDocument(parameters: {
    data: Uint8Array;
    verbosity: number;
    isEvalSupported: boolean;
    disableFontFace: boolean;
    useSystemFonts: boolean;
  }): { promise: Promise<PdfDocument> };
}
interface PdfDocument {
  readonly numPages: number;
  getPage(pageNumber: number): Promise<PdfPage>;
}
interface PdfPage {
  streamTextContent(): ReadableStream<{ items: readonly { str?: string; hasEOL?: boolean }[] }>;
  cleanup(): unknown;
}

/**
 * Opens the PDF and reads page after page, posting each page's text as soon as it is read, so
 * that whatever was read survives the worker being killed. Text is streamed a few items at a
 * time and reading stops mid-page at the text or time limit: a page that expands to 20 MB of
 * text costs only what the limit lets through.
 */
export async function readPdfInWorker(
  input: PdfWorkerInput,
  post: (message: PdfWorkerMessage) => void,
  importModule: (url: string) => Promise<unknown>,
): Promise<void> {
  const startedAt = Date.now();
  const outOfTime = (): boolean => Date.now() - startedAt >= input.timeLimitMs;
  try {
    const pdfjs = (await importModule(input.pdfjsUrl)) as PdfJs;
    // Errors only (0); no eval of PDF-supplied functions; fonts are read for their encodings, never installed.
    const document = await pdfjs.getDocument({
      data: input.bytes,
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
    }).promise;
    post({ type: "opened", pages: document.numPages });
    // The length of the text so far as the main thread joins it: non-empty pages, a blank line between.
    let joinedLength = 0;
    const lastPage = Math.min(document.numPages, input.maxPages);
    for (let pageNumber = 1; pageNumber <= lastPage; pageNumber++) {
      if (pageNumber > 1 && outOfTime()) {
        post({ type: "done", cut: "time_limit" });
        return;
      }
      const page = await document.getPage(pageNumber);
      const reader = page.streamTextContent().getReader();
      let text = "";
      let cut: "text_limit" | "time_limit" | undefined;
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        for (const item of chunk.value.items) {
          if (typeof item.str === "string") text += item.hasEOL === true ? `${item.str}\n` : item.str;
        }
        // Raw length: trimming a long page on every chunk would cost more than reading it.
        if (joinedLength + (joinedLength > 0 ? 2 : 0) + text.length > input.maxCharacters) cut = "text_limit";
        else if (outOfTime()) cut = "time_limit";
        if (cut !== undefined) {
          // pdf.js wants an Error as the reason; cancelling also stops the page's parsing.
          await reader.cancel(new Error(cut));
          break;
        }
      }
      page.cleanup();
      const trimmed = text.trim();
      if (trimmed !== "") {
        const room = input.maxCharacters - joinedLength - (joinedLength > 0 ? 2 : 0);
        const kept = trimmed.slice(0, Math.max(0, room));
        post({ type: "page", text: kept });
        if (kept !== "") joinedLength += (joinedLength > 0 ? 2 : 0) + kept.length;
      } else {
        post({ type: "page", text: "" });
      }
      if (cut !== undefined) {
        post({ type: "done", cut });
        return;
      }
    }
    post({ type: "done", cut: document.numPages > lastPage ? "page_limit" : undefined });
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    post({ type: "failed", name, message });
  }
}
