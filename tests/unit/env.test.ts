import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("configuration (lib/env.ts)", () => {
  it("runs with no configuration at all: SQLite in data/, 127.0.0.1:3000, demo exchange on", () => {
    const e = parseEnv({});
    expect(e.HOST).toBe("127.0.0.1");
    expect(e.PORT).toBe(3000);
    expect(e.dataDir).toBe(path.resolve("data"));
    expect(e.databaseUrl).toBe(`file:${path.resolve("data/keyward.db")}`);
    expect(e.vaultKeyFile).toBe(path.resolve("data/vault.key"));
    expect(e.demoExchangeUrl).toBe("http://127.0.0.1:3001");
  });

  it("keeps everything the app writes under KEYWARD_DATA_DIR", () => {
    const e = parseEnv({ KEYWARD_DATA_DIR: "/srv/kw" });
    expect(e.databaseUrl).toBe("file:/srv/kw/keyward.db");
    expect(e.vaultKeyFile).toBe("/srv/kw/vault.key");
  });

  it("accepts PostgreSQL URLs and treats empty values as unset", () => {
    const e = parseEnv({ DATABASE_URL: "postgresql://u@db:5432/kw", PORT: "" });
    expect(e.databaseUrl).toBe("postgresql://u@db:5432/kw");
    expect(e.PORT).toBe(3000);
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["DEMO_EXCHANGE", "maybe"],
    ["LOG_LEVEL", "loud"],
  ])("a bad %s=%s stops start-up with a message naming it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    try {
      parseEnv({ [name]: value });
    } catch (err) {
      expect((err as Error).message).toContain(name);
      expect((err as Error).message).toContain(".env.example");
    }
  });

  it("never echoes a database URL's password in its error", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://user:hunter2@x/db" })).toThrow(EnvError);
    try {
      parseEnv({ DATABASE_URL: "mysql://user:hunter2@x/db" });
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter2");
    }
  });

  it("turning the demo exchange off leaves no demo URL unless one is given", () => {
    expect(parseEnv({ DEMO_EXCHANGE: "off" }).demoExchangeUrl).toBeUndefined();
    expect(parseEnv({ DEMO_EXCHANGE: "off", DEMO_EXCHANGE_URL: "http://10.0.0.5:3001" }).demoExchangeUrl).toBe("http://10.0.0.5:3001");
  });
});
