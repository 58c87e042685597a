/**
 * A Bot API failure in the exact wire form Telegram uses:
 * `{ ok: false, error_code, description, parameters? }` with the HTTP status equal to error_code.
 */
export class BotApiError extends Error {
  override readonly name = "BotApiError";

  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number },
  ) {
    super(description);
  }

  toBody(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters === undefined ? {} : { parameters: this.parameters }),
    };
  }
}

export function badRequest(detail: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${detail}`);
}

/** What a test may inject with `failNext`. */
export type InjectedFailure =
  | { readonly error_code: 429; readonly retry_after: number }
  | { readonly error_code: number; readonly description?: string };

export function errorFromInjectedFailure(failure: InjectedFailure): BotApiError {
  if ("retry_after" in failure) {
    return new BotApiError(429, `Too Many Requests: retry after ${failure.retry_after}`, {
      retry_after: failure.retry_after,
    });
  }
  const description = failure.description ?? defaultDescription(failure.error_code);
  return new BotApiError(failure.error_code, description);
}

function defaultDescription(errorCode: number): string {
  if (errorCode === 400) return "Bad Request";
  if (errorCode === 401) return "Unauthorized";
  if (errorCode === 403) return "Forbidden: bot was blocked by the user";
  if (errorCode === 404) return "Not Found";
  if (errorCode === 409) return "Conflict";
  if (errorCode >= 500) return "Internal Server Error";
  return "Error";
}
