/**
 * A POST with raw header pairs sent as they are (case, order, repeats; no Host added), for the
 * byte-exactness tests of a tunnel as a real process.
 */
import { request } from "node:http";

/** What came back: status, raw header pairs as Node read them, the whole body. */
export interface RawAnswer {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * Sends `headers` (a flat name, value, … list) and `body` in 64 KiB writes; reads the whole answer.
 *
 * @example
 * const answer = await rawExchange(`${url}/hook`, ["Host", "relay.test", "X-A", "1"], body);
 */
export function rawExchange(url: string, headers: string[], body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: "POST",
        headers,
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on("error", reject);
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    req.end();
  });
}
