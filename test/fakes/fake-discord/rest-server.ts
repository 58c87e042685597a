/**
 * The HTTP half of the fake: `/api/v10/...` REST routes and `/cdn/...` downloads. Every REST call
 * is recorded before it is answered, so tests see what actually went over the wire.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { applicationRoutes } from "./application-routes.js";
import { now, type RecordedCall } from "./call-log.js";
import { channelRoutes } from "./channel-routes.js";
import { interactionRoutes } from "./interaction-routes.js";
import { readRequestBody } from "./request-body.js";
import { notFound, type RestAnswer } from "./rest-answer.js";
import { matchRoute } from "./route.js";
import type { FakeDiscordState } from "./state.js";

const apiPrefix = "/api/v10";
const routes = [...applicationRoutes, ...channelRoutes, ...interactionRoutes];

export function createRequestHandler(state: FakeDiscordState): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      send(response, { status: 500, body: { message: `Fake Discord failed: ${String(error)}`, code: 0 } });
    });
  };
}

async function handle(state: FakeDiscordState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const at = now();
  const url = new URL(request.url ?? "/", "http://fake");
  // discord.js encodes `@original` as `%40original`.
  const path = decodeURIComponent(url.pathname);
  if (path.startsWith("/cdn/")) {
    serveFile(state, path, response);
    return;
  }
  if (!path.startsWith(apiPrefix)) {
    send(response, notFound());
    return;
  }
  const { body, files } = await readRequestBody(request);
  const method = (request.method ?? "GET").toUpperCase();
  const call: RecordedCall = { at, method, route: path.slice(apiPrefix.length), query: url.searchParams, headers: request.headers, body, files, status: 0 };
  state.calls.record(call);
  const reply = decide(state, call, request.headers.authorization);
  call.status = reply.status;
  send(response, reply);
}

function decide(state: FakeDiscordState, call: RecordedCall, authorization: string | undefined): RestAnswer {
  const injected = state.failures.take(call.method, call.route, call.body);
  if (injected !== undefined) return injected;
  for (const route of routes) {
    if (route.method !== call.method) continue;
    const params = matchRoute(route.pattern, call.route);
    if (params === undefined) continue;
    const expectedToken = state.settings.token;
    if (route.needsBotToken && expectedToken !== undefined && authorization !== `Bot ${expectedToken}`) {
      return { status: 401, body: { message: "401: Unauthorized", code: 0 } };
    }
    return route.handle({ params, call, state });
  }
  return notFound();
}

function serveFile(state: FakeDiscordState, path: string, response: ServerResponse): void {
  const file = state.files.get(path);
  if (file === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": file.contentType, "content-length": String(file.bytes.byteLength) });
  response.end(file.bytes);
}

function send(response: ServerResponse, answer: RestAnswer): void {
  if (answer.status === 204 || answer.body === undefined) {
    response.writeHead(answer.status, { ...answer.headers }).end();
    return;
  }
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(text);
}
