/**
 * `npx vitest run --config vitest.bench.config.ts test/bench/media-hardening.bench.test.ts`:
 * how long the event loop stalls while Mami reads hostile media (issue 10). The target is no
 * stall over 100 ms. Each figure is from `perf_hooks.monitorEventLoopDelay` (10 ms resolution)
 * over the whole piece of work.
 *
 * - PDF bomb: 47 KB that expand to 8.8 MB of text on one page. "before" is the former way,
 *   pdf-parse's getText() on the main thread; "after" is the worker-based extractor.
 * - Pixel bomb: a 10000×9999 PNG, five in flight at once as five chats would send them. "before"
 *   lets all five run (a limit of five), "after" is the default process-wide limit of two. The
 *   cost there is not the event loop but libuv's four-thread pool, which DNS lookups share: a
 *   `dns.lookup("localhost")` is timed every 50 ms throughout, and resident memory sampled with it.
 *
 * sharp.concurrency() (libvips threads per image) is left at its default: 1 and 2 gave the same
 * figures here, since PNG decoding runs on one thread whatever it is set to.
 */
import { lookup } from "node:dns/promises";
import { PDFParse } from "pdf-parse";
import sharp from "sharp";
import { expect, it } from "vitest";
import { imageLimits, maxDocumentCharacters, maxDocumentPages } from "../../src/core/attachments/limits.js";
import { createConcurrencyLimit } from "../../src/media/concurrency-limit.js";
import { pdfTextExtractor } from "../../src/media/pdf-text-extractor.js";
import { createSharpImageNormalizer, defaultImageConcurrency, sharpImageNormalizer } from "../../src/media/sharp-image-normalizer.js";
import { measureEventLoopDelay } from "../support/event-loop-delay.js";
import { makeTextBombPdf } from "../support/make-pdf.js";
import { percentile } from "../support/statistics.js";

interface Stall {
  readonly ms: number;
  readonly p99: number;
  readonly max: number;
  readonly lookupMedian: number;
  readonly lookupMax: number;
  /** Highest resident memory seen, above where it started. */
  readonly rssGrowthMb: number;
}

async function measured(work: () => Promise<unknown>): Promise<Stall> {
  const lookups: number[] = [];
  const rssAtStart = process.memoryUsage.rss();
  let rssPeak = rssAtStart;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const startedAt = performance.now();
      await lookup("localhost");
      lookups.push(performance.now() - startedAt);
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const delay = await measureEventLoopDelay(work);
  probing = false;
  await probe;
  return {
    ...delay,
    lookupMedian: percentile(lookups, 0.5),
    lookupMax: Math.max(...lookups),
    rssGrowthMb: (rssPeak - rssAtStart) / 1024 / 1024,
  };
}

function line(label: string, stall: Stall): string {
  return (
    `[bench] ${label.padEnd(44)} ${stall.ms.toFixed(0).padStart(6)} ms; event-loop stall p99 ${stall.p99.toFixed(0).padStart(5)} ms, ` +
    `max ${stall.max.toFixed(0).padStart(5)} ms; dns.lookup median ${stall.lookupMedian.toFixed(1)} ms, max ${stall.lookupMax.toFixed(0).padStart(4)} ms; ` +
    `RSS +${stall.rssGrowthMb.toFixed(0)} MB`
  );
}

it("keeps the event loop turning while reading a PDF bomb", async () => {
  const bomb = makeTextBombPdf({ linesPerPage: 200_000 });
  const limits = { maxPages: maxDocumentPages, maxCharacters: maxDocumentCharacters };

  const before = await measured(async () => {
    const parser = new PDFParse({ data: new Uint8Array(bomb) });
    try {
      const text = (await parser.getText()).text;
      expect(text.length).toBeGreaterThan(maxDocumentCharacters);
    } finally {
      await parser.destroy();
    }
  });
  const after = await measured(async () => {
    const document = await pdfTextExtractor.extractPdfText(bomb, limits);
    expect(document.cut).toBe("text_limit");
  });

  process.stdout.write(`\n${line(`PDF bomb (${Math.round(bomb.length / 1024)} KB), main thread (before)`, before)}\n`);
  process.stdout.write(`${line("PDF bomb, worker with limits (after)", after)}\n`);
  expect(after.max).toBeLessThan(100);
});

it("keeps the event loop and the thread pool free while normalizing pixel bombs", async () => {
  const pixelBomb = await sharp({ create: { width: 10_000, height: 9_999, channels: 3, background: { r: 250, g: 250, b: 250 } } })
    .png()
    .toBuffer();
  const fiveAtOnce = (normalize: typeof sharpImageNormalizer.normalize) => async () => {
    await Promise.all(Array.from({ length: 5 }, () => normalize(pixelBomb, imageLimits)));
  };
  const unlimited = createSharpImageNormalizer({ concurrency: createConcurrencyLimit(5) });

  // "after" first: memory freed by one run stays resident, which would flatter whichever runs second.
  const after = await measured(fiveAtOnce((bytes, limits) => sharpImageNormalizer.normalize(bytes, limits)));
  const before = await measured(fiveAtOnce((bytes, limits) => unlimited.normalize(bytes, limits)));

  const label = `five ${Math.round(pixelBomb.length / 1024)} KB 10000×9999 PNGs`;
  process.stdout.write(`\n${line(`${label}, all at once (before)`, before)}\n`);
  process.stdout.write(`${line(`${label}, ${defaultImageConcurrency} at once (after)`, after)}\n`);
  expect(after.max).toBeLessThan(100);
});
