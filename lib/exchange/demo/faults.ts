/**
 * Fault injection for tests and drills: each fault applies to one API key (or
 * to every request) until it expires.
 *  - latency      delay every answer by `ms`
 *  - error5xx     answer 503 with an HTML page (a maintenance page)
 *  - rateLimit    answer 429 with Binance's -1003
 *  - timeout      never answer (the client times out); nothing is executed
 *  - dropResponse execute the request, then drop the connection: "did my order go through?"
 *  - clockSkew    the server's clock runs `ms` off, so timestamps fall outside recvWindow
 *  - marketClosed answer Binance's -1013 "Market is closed." (a trading halt): the order is rejected
 */
import { z } from "zod";

export const faultSchema = z.object({
  apiKey: z.string().optional(),
  kind: z.enum(["latency", "error5xx", "rateLimit", "timeout", "dropResponse", "clockSkew", "marketClosed"]),
  ms: z.number().int().min(-3_600_000).max(3_600_000).optional(),
  durationMs: z.number().int().min(1).max(24 * 3_600_000).default(60_000),
  /** only requests whose path contains this */
  path: z.string().optional(),
  /** only requests with this method (GET, POST, DELETE) */
  method: z.enum(["GET", "POST", "PUT", "DELETE"]).optional(),
});

export type Fault = z.infer<typeof faultSchema> & { id: number; until: number };

export class Faults {
  private list: Fault[] = [];
  private nextId = 1;

  add(input: z.input<typeof faultSchema>, now: number): Fault {
    const f = faultSchema.parse(input);
    const fault = { ...f, id: this.nextId++, until: now + f.durationMs };
    this.list.push(fault);
    return fault;
  }

  clear(): void {
    this.list = [];
  }

  active(apiKey: string | undefined, path: string, now: number, method = "GET"): Fault[] {
    this.list = this.list.filter((f) => f.until > now);
    return this.list.filter((f) => (!f.apiKey || f.apiKey === apiKey) && (!f.path || path.includes(f.path)) && (!f.method || f.method === method));
  }
}
