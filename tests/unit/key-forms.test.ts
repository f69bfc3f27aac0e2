import { describe, expect, it } from "vitest";
import { addKeyFormSchema, botSchema } from "@/lib/validation/keys";

const base = { exchange: "cryptocom", label: "k", apiKey: "abc", secret: "def" };

describe("add-key form input", () => {
  it("turns declaration checkboxes into declared scopes, only when declaring", () => {
    const declared = addKeyFormSchema.parse({ ...base, declare: "on", declaredRead: "on", declaredTrade: "on" });
    expect(declared.declared).toEqual({ read: true, trade: true, withdraw: false, ipRestricted: false });
    expect(declared).not.toHaveProperty("declaredRead");
    expect(addKeyFormSchema.parse(base).declared).toBeUndefined();
  });

  it("keeps a PEM secret's newlines and refuses control characters in labels", () => {
    const pem = "-----BEGIN TEST-----\nabc\n-----END TEST-----\n";
    expect(addKeyFormSchema.parse({ ...base, secret: pem }).secret).toBe(pem);
    expect(addKeyFormSchema.safeParse({ ...base, label: "bad\u0007label" }).success).toBe(false);
  });

  it("bot limits are decimal strings, never floats", () => {
    const ok = botSchema.parse({ name: "b", keyId: "k", symbol: "BTC/USDT", strategy: "dca", maxOrderNotional: "100.5", maxDailyLoss: "50", maxOpenOrders: "3" });
    expect(ok.maxOrderNotional).toBe("100.5");
    const bad = botSchema.safeParse({ name: "b", keyId: "k", symbol: "btc-usdt", strategy: "dca", maxOrderNotional: "1e3", maxDailyLoss: "0", maxOpenOrders: "0" });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues.map((i) => i.path[0]).sort()).toEqual(["maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "symbol"]);
  });
});
