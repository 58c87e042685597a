import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BotApiError } from "./bot-api-error.js";
import { botMethods } from "./bot-methods.js";
import type { CallLog } from "./call-log.js";
import type { InjectedFailures } from "./injected-failures.js";
import { memberMethods } from "./member-methods.js";
import { messageMethods } from "./message-methods.js";
import type { FakeTelegramWorld, MethodHandler } from "./method-context.js";
import { readMethodParams } from "./request-params.js";

const methods: Readonly<Record<string, MethodHandler>> = { ...botMethods, ...messageMethods, ...memberMethods };
/** Telegram matches method names without regard to case. */
const methodsByLowerCaseName = new Map(Object.entries(methods).map(([name, handler]) => [name.toLowerCase(), { name, handler }]));

/** The pseudo-method name under which file downloads are recorded and can be made to fail. */
export const downloadMethodName = "downloadFile";

interface ServerParts {
  readonly world: FakeTelegramWorld;
  readonly token: string;
  readonly log: CallLog;
  readonly failures: InjectedFailures;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: ServerResponse, error: BotApiError): void {
  sendJson(response, error.errorCode, error.toBody());
}

/** `/bot<token>/<method>` for the Bot API and `/file/bot<token>/<path>` for downloads. */
export function createFakeTelegramServer(parts: ServerParts): Server {
  return createServer((request, response) => {
    void route(parts, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
      else response.destroy();
    });
  });
}

async function route(parts: ServerParts, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (download !== null) {
    serveDownload(parts, download[1] ?? "", decodeURIComponent(download[2] ?? ""), response);
    return;
  }
  const apiCall = /^\/bot([^/]+)\/([A-Za-z0-9_]+)$/.exec(url.pathname);
  if (apiCall === null) {
    sendError(response, new BotApiError(404, "Not Found"));
    return;
  }
  const params = await readMethodParams(request, url);
  const requestedMethod = apiCall[2] ?? "";
  const known = methodsByLowerCaseName.get(requestedMethod.toLowerCase());
  const call = parts.log.record(known?.name ?? requestedMethod, params);
  const failure =
    apiCall[1] !== parts.token
      ? new BotApiError(401, "Unauthorized")
      : known === undefined
        ? new BotApiError(404, "Not Found")
        : parts.failures.take(known.name, params);
  if (failure !== undefined || known === undefined) {
    const error = failure ?? new BotApiError(404, "Not Found");
    parts.log.answered(call, { ok: false, error_code: error.errorCode, description: error.description });
    sendError(response, error);
    return;
  }
  const hangUp = new AbortController();
  response.on("close", () => hangUp.abort());
  try {
    const result: unknown = await known.handler(parts.world, { params, signal: hangUp.signal });
    parts.log.answered(call, { ok: true });
    if (!response.writableEnded && !response.destroyed) sendJson(response, 200, { ok: true, result });
  } catch (error) {
    if (!(error instanceof BotApiError)) throw error;
    parts.log.answered(call, { ok: false, error_code: error.errorCode, description: error.description });
    sendError(response, error);
  }
}

function serveDownload(parts: ServerParts, token: string, filePath: string, response: ServerResponse): void {
  const call = parts.log.record(downloadMethodName, { file_path: filePath });
  const file = parts.world.files.byPath(filePath);
  const failure =
    token !== parts.token || file?.bytes === undefined ? new BotApiError(404, "Not Found") : parts.failures.take(downloadMethodName, { file_path: filePath });
  if (failure !== undefined || file?.bytes === undefined) {
    const error = failure ?? new BotApiError(404, "Not Found");
    parts.log.answered(call, { ok: false, error_code: error.errorCode, description: error.description });
    sendError(response, error);
    return;
  }
  parts.log.answered(call, { ok: true });
  response.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.bytes.byteLength });
  // A client that stops reading past its size cap hangs up mid-body; that is expected here.
  response.on("error", () => undefined);
  const chunkSize = 64 * 1024;
  for (let start = 0; start < file.bytes.byteLength; start += chunkSize) {
    response.write(file.bytes.subarray(start, start + chunkSize));
  }
  response.end();
}
