/** One HTTP call being answered: what is known of it so far, and the ways to answer and record it. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GroqErrorBody } from "./groq-errors.js";
import { bearerKey, sendJson } from "./http-io.js";
import type { FakeGroqState } from "./state.js";
import type { InjectedFailure, RecordedCall } from "./types.js";

export class CallInProgress {
  readonly at: number;
  readonly requestId: string;
  model: string | undefined;
  stream = false;
  body: unknown;

  constructor(
    readonly state: FakeGroqState,
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    readonly method: string,
    readonly path: string,
  ) {
    this.at = state.now();
    this.requestId = state.nextId("req_fake_");
  }

  isAuthorized(): boolean {
    return this.state.apiKey === undefined || bearerKey(this.request) === this.state.apiKey;
  }

  /**
   * Groq sends the rate-limit headers on every response about a model; a model the fake has no
   * table row for has no quota to report, so its answers carry none.
   */
  responseHeaders(): Record<string, string> {
    const known = this.model !== undefined && this.state.spec(this.model) !== undefined;
    const rateLimit = known && this.model !== undefined ? this.state.quota(this.model).rateLimitHeaders() : {};
    return { ...rateLimit, "x-request-id": this.requestId };
  }

  record(status: number, injected?: InjectedFailure["kind"], tokens?: RecordedCall["tokens"], errorMessage?: string): void {
    this.state.calls.push({
      ...(tokens === undefined ? {} : { tokens }),
      ...(errorMessage === undefined ? {} : { errorMessage }),
      at: this.at,
      method: this.method,
      path: this.path,
      model: this.model,
      status,
      stream: this.stream,
      body: this.body,
      ...(injected === undefined ? {} : { injected }),
    });
  }

  fail(status: number, body: GroqErrorBody, extraHeaders: Record<string, string> = {}, injected?: InjectedFailure["kind"]): void {
    this.record(status, injected, undefined, body.error.message);
    sendJson(this.response, status, body, { ...this.responseHeaders(), ...extraHeaders });
  }

  /** The client went away or the server is closing: nothing more should be written. */
  isStopped(): boolean {
    return this.state.closed || this.response.destroyed || this.response.socket === null || this.response.socket.destroyed;
  }

  /** A 200 that no client can read: half a JSON object, or events whose data is not JSON. */
  sendMalformedBody(): void {
    const headers = this.responseHeaders();
    if (this.stream) {
      this.response.writeHead(200, { ...headers, "content-type": "text/event-stream", "cache-control": "no-cache" });
      this.response.end('data: {"id":"chatcmpl-broken","choices":[{"delta":{"content":"Hel\n\ndata: <html>Bad Gateway</html>\n\n');
      return;
    }
    const text = '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis';
    this.response.writeHead(200, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    this.response.end(text);
  }

  /** Cuts the connection without a complete answer, as a crashed upstream would. */
  dropConnection(): void {
    this.response.socket?.destroy();
  }
}
