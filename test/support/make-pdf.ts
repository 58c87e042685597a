/**
 * Writes a minimal, valid PDF 1.4 by hand: one page per entry, each line of an entry drawn
 * in Helvetica. Tests use it instead of committing binary fixtures; the cross-reference
 * table carries real byte offsets so strict readers (pdf.js) open it without repairing.
 */

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
  const pageObjectNumbers = pages.map((_, index) => firstPageObjectNumber + index * 2);
  const objectBodies = new Map<number, string>([
    [catalogObjectNumber, `<< /Type /Catalog /Pages ${pageTreeObjectNumber} 0 R >>`],
    [
      pageTreeObjectNumber,
      `<< /Type /Pages /Kids [${pageObjectNumbers.map((number) => `${number} 0 R`).join(" ")}] /Count ${pages.length} >>`,
    ],
    [fontObjectNumber, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"],
  ]);
  pages.forEach((pageText, index) => {
    const pageObjectNumber = firstPageObjectNumber + index * 2;
    const contentObjectNumber = pageObjectNumber + 1;
    const content = pageContentStream(pageText);
    objectBodies.set(
      pageObjectNumber,
      `<< /Type /Page /Parent ${pageTreeObjectNumber} 0 R /MediaBox [0 0 ${pageWidth} ${pageHeight}] ` +
        `/Resources << /Font << /F1 ${fontObjectNumber} 0 R >> >> /Contents ${contentObjectNumber} 0 R >>`,
    );
    objectBodies.set(contentObjectNumber, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });

  // Every character written below is ASCII, so string length equals byte offset.
  let document = "%PDF-1.4\n";
  const offsets: number[] = [];
  const objectCount = objectBodies.size;
  for (let number = 1; number <= objectCount; number++) {
    offsets.push(document.length);
    document += `${number} 0 obj\n${objectBodies.get(number)}\nendobj\n`;
  }
  const crossReferenceOffset = document.length;
  document += `xref\n0 ${objectCount + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) {
    document += `${String(offset).padStart(10, "0")} 00000 n \n`;
  }
  document += `trailer\n<< /Size ${objectCount + 1} /Root ${catalogObjectNumber} 0 R >>\n`;
  document += `startxref\n${crossReferenceOffset}\n%%EOF\n`;
  return new TextEncoder().encode(document);
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
