/** A REST route of the fake: a method, a path pattern with `:params`, and what it answers. */
import type { RecordedCall } from "./call-log.js";
import type { RestAnswer } from "./rest-answer.js";
import type { FakeDiscordState } from "./state.js";

export interface RouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly call: RecordedCall;
  readonly state: FakeDiscordState;
}

export interface Route {
  readonly method: string;
  readonly pattern: string;
  /** Interaction callbacks and webhooks are authorized by their token in the path, not the bot token. */
  readonly needsBotToken: boolean;
  handle(context: RouteContext): RestAnswer;
}

export function matchRoute(pattern: string, route: string): Record<string, string> | undefined {
  const patternParts = pattern.split("/");
  const routeParts = route.split("/");
  if (patternParts.length !== routeParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = routeParts[index] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = actual;
    else if (part !== actual) return undefined;
  }
  return params;
}
