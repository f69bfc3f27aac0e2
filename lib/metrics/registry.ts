/**
 * Prometheus metrics of this process (prom-client). Workers publish theirs
 * with each heartbeat (WorkerHeartbeat.metrics, labelled with the worker id);
 * the web's /metrics merges them with its own and with figures read from the
 * database (lib/metrics/scrape.ts).
 */
import type { Exchange } from "ccxt";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { rateBudgets } from "../exchange/rate-budget";

export const registry = new Registry();

export const ordersTotal = new Counter({
  name: "keyward_orders_total",
  help: "Order requests sent by runners, by outcome: placed (the exchange accepted), rejected (it refused), unknown (no answer; looked up, never resent)",
  labelNames: ["outcome", "mode"] as const,
  registers: [registry],
});

export const fillsTotal = new Counter({ name: "keyward_fills_total", help: "Fills recorded by runners", labelNames: ["mode"] as const, registers: [registry] });

export const exchangeRequestSeconds = new Histogram({
  name: "keyward_exchange_request_seconds",
  help: "Exchange HTTP requests from this process: time from send to answer (rate-limit waits not included)",
  labelNames: ["exchange", "method", "endpoint", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

new Gauge({
  name: "keyward_rate_budget_used_ratio",
  help: "Share of each exchange's request budget (ccxt's token bucket) in use in this process; above 1 means requests wait",
  labelNames: ["exchange"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const b of rateBudgets()) this.set({ exchange: b.exchange }, b.usedRatio);
  },
});

new Gauge({
  name: "keyward_rate_budget_queued_requests",
  help: "Requests waiting for each exchange's request budget in this process",
  labelNames: ["exchange"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const b of rateBudgets()) this.set({ exchange: b.exchange }, b.queued);
  },
});

/** Times every HTTP request of a ccxt instance (method, path without query: a bounded set per exchange). */
export function timeRequests(ex: Exchange, exchange: string): void {
  const send = ex.fetch.bind(ex);
  ex.fetch = (async (...args: Parameters<Exchange["fetch"]>) => {
    const [url, method] = args;
    let endpoint = "?";
    try {
      endpoint = new URL(url).pathname;
    } catch {
      // not a URL: leave it unnamed
    }
    const end = exchangeRequestSeconds.startTimer({ exchange, method: method ?? "GET", endpoint });
    try {
      const answer = await send(...args);
      end({ outcome: "ok" });
      return answer;
    } catch (err) {
      end({ outcome: "error" });
      throw err;
    }
  }) as Exchange["fetch"];
}
