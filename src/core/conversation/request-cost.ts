/** What spent a request's tokens: the answer's calls, its share of the safety screen, the router, transcription. */
export type CostSource = "answer" | "safety" | "router" | "transcription";

/**
 * The tokens one request cost, collected as the pipeline's steps report them (each model call
 * returns what it cost alongside its result), and charged to the user's day when the request
 * ends (usage.ts). A batched screen's share can be a fraction; the total is rounded up.
 */
export class RequestCost {
  private readonly bySource = new Map<CostSource, number>();

  add(source: CostSource, tokens: number): void {
    if (tokens > 0) this.bySource.set(source, (this.bySource.get(source) ?? 0) + tokens);
  }

  get total(): number {
    let total = 0;
    for (const tokens of this.bySource.values()) total += tokens;
    return Math.ceil(total);
  }

  breakdown(): Readonly<Partial<Record<CostSource, number>>> {
    return Object.fromEntries([...this.bySource].map(([source, tokens]) => [source, Math.ceil(tokens)]));
  }
}
