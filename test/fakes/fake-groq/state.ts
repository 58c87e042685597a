/** Everything one fake server knows: its models, their quotas and statuses, queued failures and the call log. */
import { defaultSearchResults } from "./compound.js";
import { FailureSchedule } from "./failure-schedule.js";
import { ModelQuota } from "./model-limits.js";
import { defaultAnswer } from "./responses.js";
import { countTextTokens } from "./token-count.js";
import type { ChatCall, FakeGroqOptions, FakeModelSpec, FakeModelStatus, FakeSearchResult, RecordedCall } from "./types.js";

interface PendingSleep {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

export class FakeGroqState {
  readonly calls: RecordedCall[] = [];
  readonly failures = new FailureSchedule();
  readonly now: () => number;
  readonly apiKey: string | undefined;
  readonly listModelsFails: boolean;
  readonly completionAccounting: "reservation_kept" | "usage_only";
  readonly promptCaching: boolean;
  /** System messages each model has seen: the prefixes its cache holds. */
  private readonly cachedPrefixes = new Map<string, Set<string>>();
  readonly transcribe: (audio: Uint8Array, fileName: string) => string;
  respond: (call: ChatCall) => string;
  search: (query: string) => FakeSearchResult[];
  closed = false;

  private readonly specs = new Map<string, FakeModelSpec>();
  private readonly statuses = new Map<string, FakeModelStatus>();
  private readonly quotas = new Map<string, ModelQuota>();
  private readonly pendingSleeps = new Set<PendingSleep>();
  private sequence = 0;

  constructor(options: FakeGroqOptions) {
    this.now = options.now ?? Date.now;
    this.apiKey = options.apiKey;
    this.listModelsFails = options.listModelsFails ?? false;
    this.completionAccounting = options.completionAccounting ?? "reservation_kept";
    this.promptCaching = options.promptCaching ?? false;
    this.respond = options.respond ?? defaultAnswer;
    this.search = options.search ?? defaultSearchResults;
    this.transcribe = options.transcribe ?? ((audio, fileName) => `Transcript of ${fileName} (${audio.byteLength} bytes of audio).`);
    for (const spec of options.models) {
      this.specs.set(spec.id, spec);
      this.statuses.set(spec.id, spec.status ?? "live");
      this.quotas.set(spec.id, new ModelQuota(spec, this.now));
    }
  }

  spec(model: string): FakeModelSpec | undefined {
    return this.specs.get(model);
  }

  status(model: string): FakeModelStatus | undefined {
    return this.statuses.get(model);
  }

  setStatus(model: string, status: FakeModelStatus): void {
    this.requireKnown(model);
    this.statuses.set(model, status);
  }

  quota(model: string): ModelQuota {
    const quota = this.quotas.get(model);
    if (quota === undefined) throw this.unknownModel(model);
    return quota;
  }

  /** Tokens of the prompt's system message when this model has seen it before (gpt-oss caching). */
  cachedPromptTokens(spec: FakeModelSpec, systemText: string | undefined): number {
    if (!this.promptCaching || spec.reasoning !== "gpt-oss" || systemText === undefined) return 0;
    let seen = this.cachedPrefixes.get(spec.id);
    if (seen === undefined) {
      seen = new Set();
      this.cachedPrefixes.set(spec.id, seen);
    }
    if (seen.has(systemText)) return countTextTokens(systemText);
    seen.add(systemText);
    return 0;
  }

  liveModels(): FakeModelSpec[] {
    return [...this.specs.values()].filter((spec) => this.statuses.get(spec.id) === "live");
  }

  /** Ids unique within this server, like Groq's chatcmpl-… and req_… ids. */
  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${String(this.sequence).padStart(6, "0")}`;
  }

  /** A real-time delay that close() cuts short, so that no timer outlives the server. */
  sleep(milliseconds: number): Promise<void> {
    if (milliseconds <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const pending: PendingSleep = {
        timer: setTimeout(() => {
          this.pendingSleeps.delete(pending);
          resolve();
        }, milliseconds),
        resolve,
      };
      this.pendingSleeps.add(pending);
    });
  }

  close(): void {
    this.closed = true;
    for (const pending of this.pendingSleeps) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingSleeps.clear();
  }

  requireKnown(model: string): void {
    if (!this.specs.has(model)) throw this.unknownModel(model);
  }

  private unknownModel(model: string): Error {
    return new Error(`fake Groq: model "${model}" is not in this server's model table (${[...this.specs.keys()].join(", ")})`);
  }
}
