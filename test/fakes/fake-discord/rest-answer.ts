/** What a REST route answers: a status, an optional JSON body, optional headers. */
export interface RestAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export const noContent: RestAnswer = { status: 204 };

export function notFound(message = "404: Not Found", code = 0): RestAnswer {
  return { status: 404, body: { message, code } };
}

export function json(body: unknown, status = 200): RestAnswer {
  return { status, body };
}
