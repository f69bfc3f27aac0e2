/**
 * The web process: Next.js behind a plain Node HTTP server that refuses bad
 * requests first (lib/web/request-guard.ts) — the reason for a custom server
 * instead of `next start`. Started by `npm start`'s supervisor.
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { env, EnvError } from "../env";
import { onParentExit } from "../cli/parent-watch";
import { ignoreBrokenPipes, shutdownWithDeadline } from "../cli/process-safety";
import { exitConfigError } from "../cli/exit-codes";
import { watchWorkers } from "../alerts/worker-down";
import { db } from "../db/client";
import { guardRequest, type Refusal } from "./request-guard";

const root = path.resolve(import.meta.dirname, "../..");

function refuse(req: http.IncomingMessage, res: http.ServerResponse, r: Refusal): void {
  const api = req.url?.startsWith("/api/");
  const body = api ? JSON.stringify({ error: { code: r.code, message: r.message } }) : `${r.message}\n`;
  res.writeHead(r.status, {
    "content-type": api ? "application/json" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-content-type-options": "nosniff",
    ...(r.status === 405 ? { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" } : {}),
    // the body was not read: do not reuse the connection for a next request
    connection: "close",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * A server-action request whose body React cannot decode (found by the fuzz
 * test: "$Q1", "$n1x", a truncated multipart form…) makes Next answer 500.
 * Next treats as a possible action every POST to a page that carries a
 * Next-Action header or a form body (forms posted without JavaScript).
 * Keyward's actions catch their own errors and answer with a message
 * (lib/auth/action.ts), so a 500 to such a request means the request itself
 * was malformed: it is answered as 400. The details stay in the log.
 */
function malformedActionsAreBadRequests(req: http.IncomingMessage, res: http.ServerResponse): void {
  const formBody = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(req.headers["content-type"] ?? "");
  if (req.method !== "POST" || req.url?.startsWith("/api/") || !(req.headers["next-action"] || formBody)) return;
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => http.ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => writeHead(status === 500 ? 400 : status, ...rest)) as typeof res.writeHead;
}

async function main(): Promise<void> {
  ignoreBrokenPipes();
  const config = env();
  const app = next({ dev: false, dir: root, hostname: config.HOST, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const limits = { defaultBytes: config.API_MAX_BODY_BYTES };
  const server = http.createServer((req, res) => {
    const refusal = guardRequest(req, limits);
    if (refusal) return refuse(req, res, refusal);
    malformedActionsAreBadRequests(req, res);
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // CONNECT never reaches the request handler: answer it here rather than drop the connection.
  server.on("connect", (_req, socket) => socket.end("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  console.log(`[web] ready on http://${config.HOST}:${config.PORT}`);
  // worker.down is noticed here, so a dead worker cannot silence it (lib/alerts/worker-down.ts)
  // the same client as the pages: on SQLite one connection per process, so that a write here never
  // waits on a transaction the pages hold open on another connection while blocking the event loop it needs
  const watchDb = db();
  const stopWatch = watchWorkers(watchDb, { policy: config.ALERTS_PRIVATE_ADDRESSES, baseUrl: config.KEYWARD_PUBLIC_URL, onError: (err) => console.warn(`[web] worker watch failed, will retry: ${err instanceof Error ? err.message : String(err)}`) });

  const stop = () =>
    shutdownWithDeadline(async () => {
      stopWatch();
      server.close();
      server.closeIdleConnections();
      await app.close();
      await watchDb.$disconnect();
    });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (process.env.KEYWARD_SUPERVISED === "1") onParentExit(stop);
}

main().catch((err) => {
  console.error(`Web server failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof EnvError ? exitConfigError : 1);
});
