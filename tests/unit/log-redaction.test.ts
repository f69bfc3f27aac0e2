import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";

describe("SECURITY.md 25: secrets never reach a log line", () => {
  it("redacts secret-named fields at any of the first three levels", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger(sink);
    const canary = "CANARY-9f3b2c";
    log.info({ password: canary, apiKey: canary, secret: canary, token: canary, authorization: `Bearer ${canary}`, cookie: canary, databaseUrl: `postgresql://u:${canary}@h/db`, passphrase: canary, privateKey: canary }, "top level");
    log.info({ request: { secret: canary, headers: { authorization: canary, cookie: canary } }, key: { apiKey: canary, passphrase: canary } }, "nested");
    log.warn({ exchange: { credentials: { secret: canary } } }, "two levels down");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(canary);
    expect(lines[0]).toContain("[redacted]");
  });
});
