import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { unsupportedMedia } from "../core/attachments/media-problem.js";
import type { UnsupportedMediaError } from "../core/errors.js";
import {
  type DocumentCut,
  type DocumentLimits,
  type DocumentTextExtractor,
  type ExtractedDocument,
  type PageStart,
} from "../core/ports/media.js";
import { createConcurrencyLimit, type ConcurrencyLimit } from "./concurrency-limit.js";
import { readPdfInWorker, type PdfWorkerInput, type PdfWorkerMessage } from "./pdf-text-worker.js";

/** The PDF specification lets the `%PDF-` header start anywhere in the first 1024 bytes. */
const headerSearchWindow = 1024;
const pdfHeader = new TextEncoder().encode("%PDF-");

/** Ten seconds is long for a reply to wait, and plenty for a few hundred ordinary pages. */
export const defaultPdfTimeLimitMs = 10_000;
/** How long past the time limit a worker may take to hand over what it read before it is killed. */
export const defaultPdfKillGraceMs = 2_000;
/**
 * The worker's V8 heap. pdf.js needs about 10 MB to start and some tens for a long ordinary
 * PDF; past this the worker dies with ERR_WORKER_OUT_OF_MEMORY and the process lives on.
 * Decoded streams are ArrayBuffers outside this heap: the time limit is what bounds those.
 */
export const defaultPdfMemoryLimitMb = 256;
/** Two cores: two PDFs read at once, the others wait their turn, so the chats keep a core. */
export const defaultPdfConcurrency = 2;

export interface PdfTextExtractorOptions {
  /** Reading stops this long after the worker started; what was read by then is returned. */
  readonly timeLimitMs?: number;
  /** A worker still running this long after the time limit is terminated. */
  readonly killGraceMs?: number;
  /** The worker's old-generation heap, in megabytes. */
  readonly memoryLimitMb?: number;
  /** How many PDFs are read at once; by default one limit shared by the whole process. */
  readonly concurrency?: ConcurrencyLimit;
}

const sharedConcurrency = createConcurrencyLimit(defaultPdfConcurrency);

/**
 * The worker's program: `readPdfInWorker` as source, run as an eval worker. It uses only
 * dynamic `import()`, which works whether Node evaluates it as CommonJS or as a module (a
 * worker inherits the parent's flags, `--input-type=module` among them). Its one import,
 * pdf.js, is a file: URL the main thread resolves, so it loads the same from the sources,
 * from dist/ and from any working directory.
 */
const workerSource = `import("node:worker_threads").then(({ parentPort, workerData }) =>
  (${readPdfInWorker.toString()})(workerData, (message) => parentPort.postMessage(message), (url) => import(url)));
`;

let pdfjsUrl: string | undefined;
/** pdf.js as pdf-parse installs it: the legacy build is the one that runs in Node. */
function resolvePdfjs(): string {
  if (pdfjsUrl === undefined) {
    const pdfParseEntry = createRequire(import.meta.url).resolve("pdf-parse");
    pdfjsUrl = pathToFileURL(createRequire(pdfParseEntry).resolve("pdfjs-dist/legacy/build/pdf.mjs")).href;
  }
  return pdfjsUrl;
}


/**
 * Reads the text layer of a PDF with pdf.js (from pdf-parse) in a worker thread, so a PDF
 * that expands to megabytes of text never stalls the chats: the worker has its own heap
 * limit, stops at the page, text and time limits, and is terminated if it overstays. Pages
 * are joined by a blank line; a PDF of scanned images has no text layer and yields empty
 * text, which the caller reports.
 */
export function createPdfTextExtractor(options: PdfTextExtractorOptions = {}): DocumentTextExtractor {
  const timeLimitMs = options.timeLimitMs ?? defaultPdfTimeLimitMs;
  const killGraceMs = options.killGraceMs ?? defaultPdfKillGraceMs;
  const memoryLimitMb = options.memoryLimitMb ?? defaultPdfMemoryLimitMb;
  const concurrency = options.concurrency ?? sharedConcurrency;

  return {
    async extractPdfText(bytes, limits) {
      // Checking the header first gives a clear message for the common case (someone sent a
      // .docx or a photo) without starting a worker.
      if (!hasPdfHeader(bytes)) {
        throw unsupportedMedia({ kind: "not_pdf" });
      }
      return concurrency.run(() => readInWorker(bytes, limits, { timeLimitMs, killGraceMs, memoryLimitMb }));
    },
  };
}

export const pdfTextExtractor: DocumentTextExtractor = createPdfTextExtractor();

interface WorkerLimits {
  readonly timeLimitMs: number;
  readonly killGraceMs: number;
  readonly memoryLimitMb: number;
}

type Outcome =
  | { readonly kind: "done"; readonly cut: DocumentCut | undefined }
  | { readonly kind: "killed"; readonly cut: "time_limit" | "memory_limit" }
  | { readonly kind: "failed"; readonly error: UnsupportedMediaError };

function readInWorker(bytes: Uint8Array, limits: DocumentLimits, workerLimits: WorkerLimits): Promise<ExtractedDocument> {
  const input: PdfWorkerInput = {
    // Structured cloning copies the bytes: the caller's buffer stays as it was.
    bytes,
    pdfjsUrl: resolvePdfjs(),
    maxPages: limits.maxPages,
    maxCharacters: limits.maxCharacters,
    timeLimitMs: workerLimits.timeLimitMs,
  };
  return new Promise((resolve, reject) => {
    let pages: number | undefined;
    const pageTexts: string[] = [];
    let settled = false;
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: workerLimits.memoryLimitMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      // pdf.js may print; the bot's stdout carries JSON log lines, so the worker's output is dropped.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const killTimer = setTimeout(() => settle({ kind: "killed", cut: "time_limit" }), workerLimits.timeLimitMs + workerLimits.killGraceMs);

    function settle(outcome: Outcome): void {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      void worker.terminate();
      if (outcome.kind === "failed") {
        reject(outcome.error);
        return;
      }
      const text = pageTexts.filter((pageText) => pageText !== "").join("\n\n");
      const pageStarts = pageStartsOf(pageTexts, limits.maxCharacters);
      if (outcome.kind === "killed" && (pages === undefined || text === "")) {
        // Nothing worth keeping was read before the worker had to go.
        reject(unsupportedMedia(outcome.cut === "time_limit" ? { kind: "pdf_too_slow", timeLimitMs: workerLimits.timeLimitMs } : { kind: "pdf_too_big" }));
        return;
      }
      if (outcome.cut === "time_limit" && text === "") {
        reject(unsupportedMedia({ kind: "pdf_too_slow", timeLimitMs: workerLimits.timeLimitMs }));
        return;
      }
      const textCut = text.length > limits.maxCharacters ? "text_limit" : undefined;
      const cut = outcome.cut ?? textCut;
      resolve({
        text: text.slice(0, limits.maxCharacters),
        pages: pages ?? 0,
        pagesRead: pageTexts.length,
        ...(cut === undefined ? {} : { cut }),
        ...(pageStarts.length === 0 ? {} : { pageStarts }),
      });
    }

    worker.on("message", (message: PdfWorkerMessage) => {
      switch (message.type) {
        case "opened":
          pages = message.pages;
          return;
        case "page":
          pageTexts.push(message.text);
          return;
        case "done":
          settle({ kind: "done", cut: message.cut });
          return;
        case "failed":
          settle({ kind: "failed", error: unsupportedMedia({ kind: message.name === "PasswordException" ? "pdf_password" : "pdf_damaged" }, { cause: message }) });
          return;
      }
    });
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") settle({ kind: "killed", cut: "memory_limit" });
      else settle({ kind: "failed", error: unsupportedMedia({ kind: "pdf_damaged" }, { cause: error }) });
    });
    worker.on("exit", () => settle({ kind: "failed", error: unsupportedMedia({ kind: "pdf_damaged" }) }));
  });
}

/** Where each non-empty page begins in the text as it is joined (a blank line between pages), within the text kept. */
function pageStartsOf(pageTexts: readonly string[], maxCharacters: number): PageStart[] {
  const starts: PageStart[] = [];
  let offset = 0;
  pageTexts.forEach((pageText, index) => {
    if (pageText === "") return;
    if (offset >= maxCharacters) return;
    starts.push({ page: index + 1, offset });
    offset += pageText.length + 2;
  });
  return starts;
}


function hasPdfHeader(bytes: Uint8Array): boolean {
  const searchEnd = Math.min(bytes.length, headerSearchWindow) - pdfHeader.length;
  for (let start = 0; start <= searchEnd; start++) {
    if (pdfHeader.every((headerByte, index) => bytes[start + index] === headerByte)) {
      return true;
    }
  }
  return false;
}
