/**
 * Error bodies worded as Groq words them (GROQ.md, "Error shapes"). The selector reads `code`,
 * `type` and the limit named in the message, so these strings are part of the contract.
 */
import { formatGoDuration } from "./go-duration.js";
import type { ExhaustedLimit, QuotaLimitName } from "./model-limits.js";

export interface GroqErrorBody {
  error: { message: string; type: string; code?: string; param?: string };
}

const organization = "org_fake";
const upgradeAdvice = "Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing";

const limitDescriptions: Record<QuotaLimitName, { words: string; type: "requests" | "tokens" }> = {
  RPM: { words: "requests per minute (RPM)", type: "requests" },
  RPD: { words: "requests per day (RPD)", type: "requests" },
  TPM: { words: "tokens per minute (TPM)", type: "tokens" },
  TPD: { words: "tokens per day (TPD)", type: "tokens" },
};

export function rateLimitError(model: string, exhausted: ExhaustedLimit): GroqErrorBody {
  const description = limitDescriptions[exhausted.name];
  return {
    error: {
      message:
        `Rate limit reached for model \`${model}\` in organization \`${organization}\` service tier \`on_demand\` on ${description.words}: ` +
        `Limit ${exhausted.limit}, Used ${exhausted.used}, Requested ${exhausted.requested}. ` +
        `Please try again in ${formatGoDuration(exhausted.waitMilliseconds)}. ${upgradeAdvice}`,
      type: description.type,
      code: "rate_limit_exceeded",
    },
  };
}

export function requestTooLargeError(model: string, limit: number, requested: number): GroqErrorBody {
  return {
    error: {
      message:
        `Request too large for model \`${model}\` in organization \`${organization}\` service tier \`on_demand\` on tokens per minute (TPM): ` +
        `Limit ${limit}, Requested ${requested}, please reduce your message size and try again. ${upgradeAdvice}`,
      type: "tokens",
      code: "rate_limit_exceeded",
    },
  };
}

export function modelDecommissionedError(model: string): GroqErrorBody {
  return {
    error: {
      message: `The model \`${model}\` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.`,
      type: "invalid_request_error",
      code: "model_decommissioned",
    },
  };
}

export function modelNotFoundError(model: string): GroqErrorBody {
  return {
    error: {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: "invalid_request_error",
      code: "model_not_found",
    },
  };
}

export function contextLengthExceededError(contextWindow: number, promptTokens: number): GroqErrorBody {
  return {
    error: {
      message: `Please reduce the length of the messages or completion. This model's maximum context length is ${contextWindow} tokens, but your messages resulted in ${promptTokens} tokens.`,
      type: "invalid_request_error",
      code: "context_length_exceeded",
      param: "messages",
    },
  };
}

export function invalidRequestError(message: string, param?: string): GroqErrorBody {
  return { error: { message, type: "invalid_request_error", ...(param === undefined ? {} : { param }) } };
}

export function invalidApiKeyError(): GroqErrorBody {
  return { error: { message: "Invalid API Key", type: "invalid_request_error", code: "invalid_api_key" } };
}

export function unknownUrlError(method: string, path: string): GroqErrorBody {
  return {
    error: {
      message: `Unknown request URL: ${method} ${path}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/`,
      type: "invalid_request_error",
      code: "unknown_url",
    },
  };
}

const serverErrorMessages: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  498: "flex tier capacity exceeded",
};

export function serverError(status: number): GroqErrorBody {
  return { error: { message: serverErrorMessages[status] ?? "Internal Server Error", type: "internal_server_error" } };
}
