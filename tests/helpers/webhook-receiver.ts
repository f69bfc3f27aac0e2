/** A local HTTP server standing in for a webhook receiver: records every request, answers as told. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** `answer(n)`: the status for the n-th request (from 0); 200 by default. */
export async function startReceiver(answer: (n: number, req: http.IncomingMessage, body: string) => number = () => 200, reply: (status: number) => string = () => "ok"): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const status = answer(received.length, req, body);
      received.push({ at: Date.now(), path: req.url ?? "", headers: req.headers, body, status });
      res.writeHead(status, { "content-type": "application/json" }).end(reply(status));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
