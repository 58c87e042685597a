/** Failures a test schedules for matching REST calls: a 429 with Discord's headers, or any status. */
import { routeMatches, type RoutePattern } from "./call-log.js";

export interface InjectedFailure {
  readonly method: string;
  readonly route: RoutePattern;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** How many matching calls fail; later ones succeed. */
  remaining: number;
  /** Only calls whose JSON body passes this fail (a final text, say); all matching ones when absent. */
  readonly when?: (body: unknown) => boolean;
}

export interface RateLimitOptions {
  readonly method: string;
  readonly route: RoutePattern;
  readonly retryAfterSeconds: number;
  readonly global?: boolean;
  readonly times?: number;
}

export interface FailureOptions {
  readonly method: string;
  readonly route: RoutePattern;
  readonly status: number;
  readonly body?: unknown;
  readonly times?: number;
  readonly when?: (body: unknown) => boolean;
}

/** A 429 as Discord sends it: the body and the headers discord.js reads to decide how long to wait. */
export function rateLimitFailure(options: RateLimitOptions): InjectedFailure {
  const global = options.global ?? false;
  const seconds = String(options.retryAfterSeconds);
  return {
    method: options.method.toUpperCase(),
    route: options.route,
    status: 429,
    body: { message: "You are being rate limited.", retry_after: options.retryAfterSeconds, global },
    headers: {
      "retry-after": seconds,
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": seconds,
      "x-ratelimit-bucket": "fake-bucket",
      "x-ratelimit-scope": global ? "global" : "user",
      ...(global ? { "x-ratelimit-global": "true" } : {}),
    },
    remaining: options.times ?? 1,
  };
}

export function statusFailure(options: FailureOptions): InjectedFailure {
  return {
    method: options.method.toUpperCase(),
    route: options.route,
    status: options.status,
    body: options.body ?? { message: "Injected failure", code: 0 },
    headers: {},
    remaining: options.times ?? 1,
    ...(options.when === undefined ? {} : { when: options.when }),
  };
}

export class InjectedFailures {
  private readonly pending: InjectedFailure[] = [];

  add(failure: InjectedFailure): void {
    this.pending.push(failure);
  }

  /** Drops every failure still scheduled. */
  clear(): void {
    this.pending.length = 0;
  }

  /** The failure this call gets, if one is scheduled; each use counts down. */
  take(method: string, route: string, body: unknown): InjectedFailure | undefined {
    const failure = this.pending.find(
      (candidate) => candidate.method === method && candidate.remaining > 0 && routeMatches(candidate.route, route) && (candidate.when?.(body) ?? true),
    );
    if (failure !== undefined) failure.remaining -= 1;
    return failure;
  }
}
