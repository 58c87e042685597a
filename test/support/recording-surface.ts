import type { PartOptions, ReplySurface, SurfaceLimits } from "../../src/core/presentation/reply-surface.js";
import type { ReplyChoice } from "../../src/core/reply.js";

/** One thing the core did on the surface, in order. */
export type SurfaceCall =
  | { readonly kind: "working" }
  | { readonly kind: "send"; readonly partId: string; readonly markdown: string; readonly options: PartOptions }
  | { readonly kind: "edit"; readonly partId: string; readonly markdown: string; readonly options: PartOptions }
  | { readonly kind: "delete"; readonly partId: string }
  | { readonly kind: "finish"; readonly partIds: readonly string[]; readonly choices: readonly ReplyChoice[] };

/**
 * A reply surface in memory: what a platform would show, for core tests and benchmarks that
 * drive `mami.receive` without a platform. `messages` holds what each part shows now.
 */
export class RecordingSurface implements ReplySurface {
  readonly calls: SurfaceCall[] = [];
  readonly messages = new Map<string, string>();
  private nextId: number;

  readonly limits: SurfaceLimits;
  readonly showsChoicesAsButtons: boolean;

  constructor(options: { readonly limits?: SurfaceLimits; readonly showsChoicesAsButtons?: boolean; readonly firstMessageId?: number } = {}) {
    this.limits = options.limits ?? { maxPartLength: 4096, minEditIntervalMs: 0 };
    this.showsChoicesAsButtons = options.showsChoicesAsButtons ?? false;
    this.nextId = options.firstMessageId ?? 1;
  }

  /** The reply as a reader sees it: every part, in order. */
  get shownText(): string {
    return [...this.messages.values()].join("");
  }

  async showWorking(): Promise<void> {
    this.calls.push({ kind: "working" });
  }

  async sendPart(markdown: string, options: PartOptions): Promise<string> {
    const partId = String(this.nextId++);
    this.messages.set(partId, markdown);
    this.calls.push({ kind: "send", partId, markdown, options });
    return partId;
  }

  async editPart(partId: string, markdown: string, options: PartOptions): Promise<void> {
    this.messages.set(partId, markdown);
    this.calls.push({ kind: "edit", partId, markdown, options });
  }

  async deletePart(partId: string): Promise<void> {
    this.messages.delete(partId);
    this.calls.push({ kind: "delete", partId });
  }

  async finish(partIds: readonly string[], choices: readonly ReplyChoice[]): Promise<readonly string[]> {
    this.calls.push({ kind: "finish", partIds, choices });
    return partIds;
  }
}
