import type { IncomingMessage } from "node:http";
import { parseMultipart } from "./multipart.js";

export type MethodParams = Record<string, unknown>;

/**
 * Reads a Bot API call's parameters from wherever the client put them: the query string, a JSON
 * body, a urlencoded body, or a multipart body (grammY switches to multipart when it uploads).
 * Values from text forms stay strings until a method reads them with the accessors below.
 */
export async function readMethodParams(request: IncomingMessage, url: URL): Promise<MethodParams> {
  const params: MethodParams = {};
  for (const [key, value] of url.searchParams) params[key] = decodeFormValue(value);
  const body = await readBody(request);
  if (body.length === 0) return params;
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed !== null && typeof parsed === "object") Object.assign(params, parsed);
    return params;
  }
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = decodeFormValue(value);
    return params;
  }
  if (contentType.startsWith("multipart/form-data")) {
    for (const [key, value] of Object.entries(parseMultipart(body, contentType))) {
      params[key] = typeof value === "string" ? decodeFormValue(value) : value;
    }
  }
  return params;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form values stay strings; the accessors below convert them per field, as the Bot API does. */
function decodeFormValue(value: string): unknown {
  return value;
}

export function stringParam(params: MethodParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function numberParam(params: MethodParams, name: string): number | undefined {
  const value = params[name];
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function booleanParam(params: MethodParams, name: string): boolean | undefined {
  const value = params[name];
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** Objects such as `reply_markup` or `reply_parameters`, sent as JSON or as a JSON string. */
export function objectParam<Value extends object>(params: MethodParams, name: string): Value | undefined {
  const value = params[name];
  if (value !== null && typeof value === "object") return value as Value;
  if (typeof value === "string" && (value.startsWith("{") || value.startsWith("["))) return JSON.parse(value) as Value;
  return undefined;
}
