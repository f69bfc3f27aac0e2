/**
 * Every environment variable Keyward reads, validated in one place.
 * A bad value stops start-up with a message naming the variable and what to set.
 * Defaults make a configuration-free start work; `.env.example` documents each.
 */
import path from "node:path";
import { z } from "zod";

const port = z.coerce.number({ error: "must be a port number" }).int("must be a whole number").min(1, "must be 1–65535").max(65535, "must be 1–65535");
const onOff = z.enum(["on", "off"]);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  KEYWARD_DATA_DIR: z.string().min(1).default("data"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
    .optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(3000),
  KEYWARD_VAULT_KEY_FILE: z.string().min(1).optional(),
  /** the key that seals second-factor secrets (authenticator apps); the web tier reads it, so it is not the vault key */
  KEYWARD_2FA_KEY_FILE: z.string().min(1).optional(),
  DEMO_EXCHANGE: onOff.default("on"),
  DEMO_EXCHANGE_PORT: port.default(3001),
  DEMO_EXCHANGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(3000),
  KEYWARD_WORKER_ID: z.string().regex(/^[\w.-]{1,64}$/, "letters, digits, . _ - only (max 64)").optional(),
  /** ccxt's rate limit for the demo exchange, ms per weight unit (10 = the 6,000/min it advertises; 0 = none) */
  DEMO_EXCHANGE_RATE_LIMIT_MS: z.coerce.number().int().min(0).max(1000).default(10),
  BOT_LEASE_TTL_MS: z.coerce.number().int().min(2000, "must be at least 2000").max(600_000, "must be at most 600000").default(15_000),
  /** /metrics: token (an API token with the read scope), open (no token: only behind a private network), off (404) */
  METRICS: z.enum(["token", "open", "off"]).default("token"),
  /** alert webhooks, Telegram API and SMTP hosts: loopback (default; 127.0.0.1, ::1), private (also 10/8, 192.168/16, …), none. Link-local and cloud metadata: never. */
  ALERTS_PRIVATE_ADDRESSES: z.enum(["loopback", "private", "none"]).default("loopback"),
  /** how people reach Keyward, for links in alerts (e.g. https://keyward.example.com); without it links are paths */
  KEYWARD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** bot events and finished alert deliveries older than this many days are deleted (orders, fills and balances are kept) */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1, "must be at least 1").max(36_500).default(90),
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024, "must be at least 1024").max(100 * 1024 * 1024, "must be at most 100 MiB").default(1024 * 1024),
});

/** Variables whose values may hold credentials: never echoed, never logged. */
const secretVariables = new Set(["DATABASE_URL"]);

export type Env = z.infer<typeof schema> & {
  /** Absolute data directory. */
  dataDir: string;
  databaseUrl: string;
  vaultKeyFile: string;
  secondFactorKeyFile: string;
  demoExchangeUrl: string | undefined;
};

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses `source` (default process.env). Throws EnvError listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0]);
      const got = secretVariables.has(name) ? "value hidden" : `got ${JSON.stringify(cleaned[name] ?? "nothing")}`;
      return `  ${name}: ${i.message} (${got}; see .env.example)`;
    });
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.KEYWARD_DATA_DIR);
  const demoExchangeUrl = e.DEMO_EXCHANGE_URL ?? (e.DEMO_EXCHANGE === "on" ? `http://127.0.0.1:${e.DEMO_EXCHANGE_PORT}` : undefined);
  return {
    ...e,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, "keyward.db")}`,
    vaultKeyFile: path.resolve(/*turbopackIgnore: true*/ e.KEYWARD_VAULT_KEY_FILE ?? path.join(dataDir, "vault.key")),
    secondFactorKeyFile: path.resolve(/*turbopackIgnore: true*/ e.KEYWARD_2FA_KEY_FILE ?? path.join(dataDir, "second-factor.key")),
    demoExchangeUrl,
  };
}

let cached: Env | undefined;
/** The process's configuration, parsed once. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
