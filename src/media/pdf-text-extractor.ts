import { PDFParse } from "pdf-parse";
import { UnsupportedMediaError, type DocumentTextExtractor } from "../core/ports/media.js";

/** The PDF specification lets the `%PDF-` header start anywhere in the first 1024 bytes. */
const headerSearchWindow = 1024;
const pdfHeader = new TextEncoder().encode("%PDF-");

/**
 * Reads the text layer of a PDF with pdf-parse (pdf.js). Pages are joined by a blank line;
 * a PDF of scanned images has no text layer and yields empty text, which the caller reports.
 */
export const pdfTextExtractor: DocumentTextExtractor = {
  async extractPdfText(bytes) {
    // Checking the header first gives a clear message for the common case (someone sent a
    // .docx or a photo) without spinning up pdf.js.
    if (!hasPdfHeader(bytes)) {
      throw new UnsupportedMediaError("This file is not a PDF.");
    }
    // pdf.js may take ownership of (detach) the buffer it is given; copy so the caller's bytes survive.
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      const result = await parser.getText();
      const text = result.pages
        .map((page) => page.text.trim())
        .filter((pageText) => pageText.length > 0)
        .join("\n\n");
      return { text, pages: result.total };
    } catch (error) {
      throw toUnsupportedMediaError(error);
    } finally {
      await parser.destroy();
    }
  },
};

function hasPdfHeader(bytes: Uint8Array): boolean {
  const searchEnd = Math.min(bytes.length, headerSearchWindow) - pdfHeader.length;
  for (let start = 0; start <= searchEnd; start++) {
    if (pdfHeader.every((headerByte, index) => bytes[start + index] === headerByte)) {
      return true;
    }
  }
  return false;
}

function toUnsupportedMediaError(error: unknown): UnsupportedMediaError {
  const errorName = error instanceof Error ? error.name : "";
  const message =
    errorName === "PasswordException"
      ? "This PDF is password-protected, so its text cannot be read."
      : "This PDF is damaged or malformed, so its text cannot be read.";
  return new UnsupportedMediaError(message, { cause: error });
}
