import path from "node:path";
import { ConfigError } from "../core/errors.js";

/** Where the data lives, as read from STORE_URL. */
export type StoreLocation =
  | { readonly kind: "memory" }
  | { readonly kind: "sqlite"; readonly filePath: string }
  | { readonly kind: "redis"; readonly url: string; readonly displayName: string };

const acceptedForms =
  "sqlite://PATH (a file, relative to the working directory unless absolute, e.g. sqlite://data/mami.sqlite), " +
  "memory://, redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]";

/** A STORE_URL that names no store we know is a bad setting; the message lists the accepted forms. */
function storeUrlError(url: string, reason: string): ConfigError {
  return new ConfigError([`STORE_URL ${JSON.stringify(withoutCredentials(url))} is not usable (${reason}). Accepted forms: ${acceptedForms}.`]);
}

export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === "memory://") {
    return { kind: "memory" };
  }
  if (trimmed.startsWith("sqlite://")) {
    return parseSqliteUrl(trimmed);
  }
  if (trimmed.startsWith("redis://") || trimmed.startsWith("rediss://")) {
    return parseRedisUrl(trimmed);
  }
  throw storeUrlError(url, "unknown scheme");
}

function parseSqliteUrl(url: string): StoreLocation {
  // Not parsed with `new URL`: it would read the first folder of a relative path as a host name.
  const filePath = url.slice("sqlite://".length);
  if (filePath === "") {
    throw storeUrlError(url, "no file path after sqlite://");
  }
  return { kind: "sqlite", filePath: path.resolve(filePath) };
}

function parseRedisUrl(url: string): StoreLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw storeUrlError(url, "not a valid URL");
  }
  if (parsed.hostname === "") {
    throw storeUrlError(url, "no host");
  }
  if (!/^(\/\d*)?$/.test(parsed.pathname)) {
    throw storeUrlError(url, "the path must be a database number, like /0");
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw storeUrlError(url, "query strings and fragments are not supported");
  }
  const port = parsed.port === "" ? "6379" : parsed.port;
  return { kind: "redis", url, displayName: `${parsed.protocol}//${parsed.hostname}:${port}${parsed.pathname}` };
}

/** Error messages end up in logs; a Redis URL may carry a password. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@");
}
