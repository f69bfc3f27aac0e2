/**
 * The one logger. JSON lines to stdout with pino; anything that looks like a
 * secret is redacted by key name wherever it sits (SECURITY.md 25).
 * Never log a whole request, header set, ccxt instance or env object.
 */
import pino from "pino";

const secretKeys = ["password", "passphrase", "secret", "apiKey", "apikey", "token", "authorization", "cookie", "privateKey", "databaseUrl", "DATABASE_URL", "sealed"];
export const redactPaths = secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL ?? "info",
    base: { proc: process.env.KEYWARD_PROCESS ?? "app" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Synchronous writes: pino's default buffers and flushes at exit, and sonic-boom 4's flushSync retries a
  // write error forever, so a process whose reader was gone (its supervisor killed) never exited.
  // Written at once, a broken pipe's first EPIPE turns logging off and the process goes on and exits.
  return pino(options, destination ?? pino.destination({ fd: 1, sync: true }));
}

export const log = createLogger();

export type Logger = typeof log;
