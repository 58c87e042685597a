/** The node:http server on 127.0.0.1 (port 0) and the FakeGroq handle that tests hold. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { CallInProgress } from "./call-in-progress.js";
import { handleChatCompletion } from "./chat-completions.js";
import { serverError, unknownUrlError } from "./groq-errors.js";
import { handleListModels, handleRetrieveModel } from "./models-list.js";
import { FakeGroqState } from "./state.js";
import { handleTranscription } from "./transcriptions.js";
import type { FakeGroq, FakeGroqOptions } from "./types.js";

const apiPrefix = "/openai/v1";
const chatCompletionsPath = `${apiPrefix}/chat/completions`;

export async function startFakeGroq(options: FakeGroqOptions): Promise<FakeGroq> {
  const state = new FakeGroqState(options);
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    route(state, request, response).catch((error: unknown) => answerUnexpectedError(response, error));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake Groq: the server has no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    calls: state.calls,
    chatCallsTo: (model) => state.calls.filter((call) => call.path === chatCompletionsPath && call.model === model),
    inject: (model, failure) => {
      state.requireKnown(model);
      state.failures.add(model, failure);
    },
    setModelStatus: (model, status) => state.setStatus(model, status),
    setResponder: (respond) => {
      state.respond = respond;
    },
    setSearchResults: (search) => {
      state.search = search;
    },
    usage: (model) => state.quota(model).usage(),
    close: async () => {
      state.close();
      // Hanging calls and keep-alive connections would otherwise hold server.close() open forever.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(state: FakeGroqState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = request.method ?? "GET";
  const path = decodeURIComponent(new URL(request.url ?? "/", "http://fake").pathname);
  const call = new CallInProgress(state, request, response, method, path);

  if (method === "POST" && path === chatCompletionsPath) return handleChatCompletion(call);
  if (method === "POST" && path === `${apiPrefix}/audio/transcriptions`) return handleTranscription(call);
  if (method === "GET" && path === `${apiPrefix}/models`) return handleListModels(call);
  if (method === "GET" && path.startsWith(`${apiPrefix}/models/`)) return handleRetrieveModel(call, path.slice(`${apiPrefix}/models/`.length));

  request.resume();
  call.fail(404, unknownUrlError(method, path));
}

function answerUnexpectedError(response: ServerResponse, error: unknown): void {
  // A bug in the fake must surface in the failing test, not as a silent hang.
  console.error("fake Groq: unexpected error while answering", error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(500, { "content-type": "application/json" });
  response.end(JSON.stringify(serverError(500)));
}
