/**
 * One POST for an alert: to the address checked by ./safe-address.ts (the
 * connection is pinned to it), no redirects followed, 10 s in all, at most
 * 64 KB of the answer read. Errors say what happened, never the URL (a
 * Telegram URL carries its bot token).
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { refusedHost, resolveChecked, type PrivateAddressPolicy } from "./safe-address";

export const requestTimeoutMs = 10_000;

export interface PostResult {
  status: number;
  body: string;
}

export function postJson(target: string, body: string, headers: Record<string, string>, policy: PrivateAddressPolicy): Promise<PostResult> {
  const url = new URL(target);
  // a literal IP in the URL skips `lookup`: judged here, before any connection
  const refused = refusedHost(url.hostname, policy);
  if (refused) return Promise.reject(new Error(`Refused: ${refused}.`));
  const lookup: LookupFunction = (host, options, callback) => {
    resolveChecked(host, policy).then(
      (a) => (options.all ? (callback as (e: null, all: { address: string; family: number }[]) => void)(null, [a]) : callback(null, a.address, a.family)),
      (err: Error) => callback(err, "", 4),
    );
  };
  return new Promise<PostResult>((resolve, reject) => {
    const timer = setTimeout(() => req.destroy(new Error(`No answer within ${requestTimeoutMs / 1000} s.`)), requestTimeoutMs);
    const req = (url.protocol === "https:" ? https : http).request(
      url,
      { method: "POST", lookup, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "Keyward-Alerts", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < 65_536) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, 65_536) });
        });
        res.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(describe(err)));
    });
    req.end(body);
  });
}

function describe(err: Error & { code?: string }): string {
  if (err.message.startsWith("Refused") || err.message.startsWith("No answer") || err.message.startsWith("Could not resolve")) return err.message;
  switch (err.code) {
    case "ECONNREFUSED":
      return "Connection refused.";
    case "ECONNRESET":
      return "The connection was reset.";
    case "ENOTFOUND":
      return "The host name could not be resolved.";
    default:
      return err.code ? `Network error (${err.code}).` : "Network error.";
  }
}
