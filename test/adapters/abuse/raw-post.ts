import { request as httpRequest } from "node:http";

export interface RawPost {
  readonly path: string;
  readonly secret?: string;
  readonly body: string;
}

/** One POST over plain node:http, headers exactly as given; resolves with the status. */
export function rawPost(port: number, post: RawPost): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(post.body, "utf8");
    const headers: Record<string, string> = { "content-type": "application/json", "content-length": String(body.byteLength) };
    if (post.secret !== undefined) headers["x-telegram-bot-api-secret-token"] = post.secret;
    let answered = false;
    const outgoing = httpRequest({ host: "127.0.0.1", port, path: post.path, method: "POST", headers, agent: false }, (response) => {
      answered = true;
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // A server that answers early and hangs up may cut the upload short: only the answer counts.
    outgoing.on("error", (error) => {
      if (!answered) reject(error);
    });
    outgoing.end(body);
  });
}
