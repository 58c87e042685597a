/**
 * Writes a minimal, valid PDF 1.4 by hand: one page per entry, each line of an entry drawn
 * in Helvetica. Tests use it instead of committing binary fixtures; the cross-reference
 * table carries real byte offsets so strict readers (pdf.js) open it without repairing.
 */

import { deflateSync } from "node:zlib";

const pageWidth = 612;
const pageHeight = 792;
const fontSize = 12;
const lineHeight = 14;
const margin = 72;

const catalogObjectNumber = 1;
const pageTreeObjectNumber = 2;
const fontObjectNumber = 3;
const firstPageObjectNumber = 4;

export function makePdf(pages: string[]): Uint8Array {
  return makePdfFromContent(pages.map(pageContentStream));
}

export interface PdfContentOptions {
  /** FlateDecode every content stream, as real PDFs do (and as decompression bombs must). */
  readonly compress?: boolean;
}

/** A PDF whose pages draw the given content streams (raw PDF operators) in Helvetica. */
export function makePdfFromContent(contents: readonly string[], options: PdfContentOptions = {}): Uint8Array {
  const encoder = new TextEncoder();
  const pageObjectNumbers = contents.map((_, index) => firstPageObjectNumber + index * 2);
  const objectBodies = new Map<number, Uint8Array[]>([
    [catalogObjectNumber, [encoder.encode(`<< /Type /Catalog /Pages ${pageTreeObjectNumber} 0 R >>`)]],
    [
      pageTreeObjectNumber,
      [encoder.encode(`<< /Type /Pages /Kids [${pageObjectNumbers.map((number) => `${number} 0 R`).join(" ")}] /Count ${contents.length} >>`)],
    ],
    [fontObjectNumber, [encoder.encode("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")]],
  ]);
  contents.forEach((content, index) => {
    const pageObjectNumber = firstPageObjectNumber + index * 2;
    const contentObjectNumber = pageObjectNumber + 1;
    const stream = options.compress === true ? deflateSync(encoder.encode(content), { level: 9 }) : encoder.encode(content);
    objectBodies.set(pageObjectNumber, [
      encoder.encode(
        `<< /Type /Page /Parent ${pageTreeObjectNumber} 0 R /MediaBox [0 0 ${pageWidth} ${pageHeight}] ` +
          `/Resources << /Font << /F1 ${fontObjectNumber} 0 R >> >> /Contents ${contentObjectNumber} 0 R >>`,
      ),
    ]);
    objectBodies.set(contentObjectNumber, [
      encoder.encode(`<< /Length ${stream.length}${options.compress === true ? " /Filter /FlateDecode" : ""} >>\nstream\n`),
      stream,
      encoder.encode("\nendstream"),
    ]);
  });

  // Offsets are byte offsets: chunks are counted as bytes, compressed streams included.
  const chunks: Uint8Array[] = [];
  let length = 0;
  const write = (chunk: Uint8Array | string): void => {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
  };
  write("%PDF-1.4\n");
  const offsets: number[] = [];
  const objectCount = objectBodies.size;
  for (let number = 1; number <= objectCount; number++) {
    offsets.push(length);
    write(`${number} 0 obj\n`);
    for (const chunk of objectBodies.get(number) ?? []) write(chunk);
    write("\nendobj\n");
  }
  const crossReferenceOffset = length;
  let trailer = `xref\n0 ${objectCount + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) {
    trailer += `${String(offset).padStart(10, "0")} 00000 n \n`;
  }
  trailer += `trailer\n<< /Size ${objectCount + 1} /Root ${catalogObjectNumber} 0 R >>\n`;
  trailer += `startxref\n${crossReferenceOffset}\n%%EOF\n`;
  write(trailer);
  const document = new Uint8Array(length);
  let position = 0;
  for (const chunk of chunks) {
    document.set(chunk, position);
    position += chunk.length;
  }
  return document;
}

/**
 * A decompression bomb for text extraction: each page's compressed content stream repeats
 * one line of text `linesPerPage` times, drawn in place so every copy stays on the page.
 * With 200 000 lines a 75 KB file expands to 20 MB of operators and 17.6 MB of text.
 */
export function makeTextBombPdf(options: { readonly pages?: number; readonly linesPerPage: number; readonly line?: string }): Uint8Array {
  // Tm puts each copy back at the same point: pdf.js leaves out text drawn off the page.
  const text = options.line ?? "All work and no play makes Jack a dull boy. ";
  const line = `1 0 0 1 ${margin} ${pageHeight / 2} Tm (${toPdfLiteral(text)}) Tj\n`;
  const content = `BT\n/F1 ${fontSize} Tf\n${line.repeat(options.linesPerPage)}ET`;
  return makePdfFromContent(Array.from({ length: options.pages ?? 1 }, () => content), { compress: true });
}

function pageContentStream(pageText: string): string {
  const lines = pageText.split("\n").map((line) => `(${toPdfLiteral(line)}) Tj`);
  return [
    "BT",
    `/F1 ${fontSize} Tf`,
    `${lineHeight} TL`,
    `${margin} ${pageHeight - margin} Td`,
    lines.join(" T* "),
    "ET",
  ].join("\n");
}

/** Escapes a line for a PDF literal string; characters outside ASCII become WinAnsi octal escapes. */
function toPdfLiteral(line: string): string {
  let literal = "";
  for (const character of line) {
    const code = character.codePointAt(0) ?? 0;
    if (character === "\\" || character === "(" || character === ")") {
      literal += `\\${character}`;
    } else if (code >= 0x20 && code < 0x7f) {
      literal += character;
    } else if (code >= 0xa0 && code <= 0xff) {
      literal += `\\${code.toString(8).padStart(3, "0")}`;
    } else {
      throw new RangeError(`makePdf only writes printable Latin-1 text; got U+${code.toString(16).padStart(4, "0")}`);
    }
  }
  return literal;
}
