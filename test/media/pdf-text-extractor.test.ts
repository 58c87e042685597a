import { describe, expect, it } from "vitest";
import { UnsupportedMediaError } from "../../src/core/errors.js";
import { type DocumentLimits } from "../../src/core/ports/media.js";
import { pdfTextExtractor } from "../../src/media/pdf-text-extractor.js";
import { makePdf } from "../support/make-pdf.js";

const limits: DocumentLimits = { maxPages: 500, maxCharacters: 600_000 };
const asText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const asBytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Marks a PDF as encrypted with a password nobody knows; the trailer follows the xref, so no offset moves. */
function encryptedWithUnknownPassword(pdf: Uint8Array): Uint8Array {
  const encryption =
    `/Encrypt << /Filter /Standard /V 1 /R 2 /O <${"11".repeat(32)}> /U <${"22".repeat(32)}> /P -4 >> ` +
    `/ID [<${"ab".repeat(16)}> <${"ab".repeat(16)}>]`;
  return asBytes(asText(pdf).replace("/Root 1 0 R >>", `/Root 1 0 R ${encryption} >>`));
}

describe("makePdf", () => {
  it("points every cross-reference entry at its object", () => {
    const pdf = asText(makePdf(["one", "two"]));
    const crossReferenceOffset = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    expect(pdf.startsWith("xref\n", crossReferenceOffset)).toBe(true);

    const entries = [...pdf.matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
    expect(entries).toHaveLength(7);
    entries.forEach((offset, index) => {
      expect(pdf.startsWith(`${index + 1} 0 obj`, offset)).toBe(true);
    });
  });
});

describe("pdfTextExtractor", () => {
  it("reads the text of every page, in order, with the page count", async () => {
    const pages = ["First page says hello.", "Second page (with parentheses)\nand a second line.", "Third page: café."];

    const result = await pdfTextExtractor.extractPdfText(makePdf(pages), limits);

    expect(result).toMatchObject({ pages: 3, pagesRead: 3 });
    expect(result.cut).toBeUndefined();
    const positions = ["First page says hello.", "Second page (with parentheses)", "and a second line.", "Third page: café."].map(
      (expected) => result.text.indexOf(expected),
    );
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((left, right) => left - right));
  });

  it("leaves the caller's bytes intact", async () => {
    const pdf = makePdf(["Keep me."]);
    const copy = pdf.slice();

    await pdfTextExtractor.extractPdfText(pdf, limits);

    expect(pdf).toEqual(copy);
  });

  it("returns empty text for a PDF without a text layer", async () => {
    const result = await pdfTextExtractor.extractPdfText(makePdf(["", ""]), limits);

    expect(result).toEqual({ text: "", pages: 2, pagesRead: 2 });
  });

  it("refuses a file that is not a PDF", async () => {
    const promise = pdfTextExtractor.extractPdfText(asBytes("PK\u0003\u0004 this is a zip, not a PDF"), limits);

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(/not a PDF/);
  });

  it("refuses a PDF that is cut short", async () => {
    const truncated = makePdf(["Lost text."]).subarray(0, 120);

    const promise = pdfTextExtractor.extractPdfText(truncated, limits);

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(/damaged/);
  });

  it("refuses a password-protected PDF", async () => {
    const promise = pdfTextExtractor.extractPdfText(encryptedWithUnknownPassword(makePdf(["Secret."])), limits);

    await expect(promise).rejects.toThrow(UnsupportedMediaError);
    await expect(promise).rejects.toThrow(/password-protected/);
  });
});
