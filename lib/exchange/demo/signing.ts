/**
 * Binance request signing, checked the way Binance checks it: HMAC-SHA256 of
 * the total params (query string followed by body, minus `signature`) with the
 * key's secret; `timestamp` within `recvWindow` (default 5000 ms, max 60000)
 * of the server's clock and at most 1 s ahead of it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { errors } from "./errors";
import type { DemoStore, KeyRow } from "./store";

export type Permission = "read" | "trade";

/** Splits `signature=…` out of a raw query or body string, keeping the rest byte for byte. */
function withoutSignature(raw: string): { rest: string; signature?: string } {
  const parts = raw ? raw.split("&") : [];
  const sig = parts.find((p) => p.startsWith("signature="));
  return { rest: parts.filter((p) => p !== sig).join("&"), signature: sig?.slice("signature=".length) };
}

export function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

export interface SignedRequest {
  apiKeyHeader: string | undefined;
  rawQuery: string;
  rawBody: string;
  params: Record<string, string>;
  clientIp: string;
  serverTime: number;
}

export function authenticate(store: DemoStore, r: SignedRequest, need: Permission): KeyRow {
  if (!r.apiKeyHeader) throw errors.rejectedKey();
  if (!/^[A-Za-z0-9]{64}$/.test(r.apiKeyHeader)) throw errors.badApiKeyFormat();
  const key = store.key(r.apiKeyHeader);
  if (!key || key.revokedAt) throw errors.rejectedKey();
  if (key.ipRestrict && !(JSON.parse(key.ips) as string[]).includes(r.clientIp)) throw errors.rejectedKey();

  const q = withoutSignature(r.rawQuery);
  const b = withoutSignature(r.rawBody);
  const signature = q.signature ?? b.signature;
  if (!signature) throw errors.mandatory("signature");
  const expected = Buffer.from(sign(key.secret, q.rest + b.rest), "hex");
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw errors.badSignature();

  const timestamp = Number(r.params.timestamp);
  if (!r.params.timestamp || !Number.isFinite(timestamp)) throw errors.mandatory("timestamp");
  const recvWindow = r.params.recvWindow ? Number(r.params.recvWindow) : 5000;
  if (!(recvWindow > 0 && recvWindow <= 60_000)) throw errors.illegal("recvWindow");
  if (timestamp > r.serverTime + 1000 || r.serverTime - timestamp > recvWindow) throw errors.timestamp();

  if (need === "read" && !key.canRead) throw errors.rejectedKey();
  if (need === "trade" && !key.canTrade) throw errors.rejectedKey();
  return key;
}
