import { describe, expect, it } from "vitest";
import { parseBacktestParams, parseParams } from "@/lib/strategies/registry";
import { createTokenSchema } from "@/lib/validation/auth";
import { nameSchema, positiveDecimal, wholeNumber } from "@/lib/validation/common";
import { botSchema, labelSchema } from "@/lib/validation/keys";

const bot = { name: "b", keyId: "k", symbol: "BTC/USDT", strategy: "dca", params: {}, mode: "paper", maxOrderNotional: "10", maxDailyLoss: "5", maxOpenOrders: 2 };

describe("issue 13.6: strict input", () => {
  it("names refuse control characters and bidirectional overrides, wherever a user labels something", () => {
    const bad = ["a\u0000b", "a\u001bb", "a\rb", "a\nb", "invoice\u202Egpj.exe", "x\u2066y", "\u200Fz"];
    for (const schema of [nameSchema("bot"), labelSchema, botSchema.shape.name, createTokenSchema.shape.name]) {
      for (const v of bad) expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(false);
      expect(schema.safeParse("Grid BTC — ünïcode ok").success).toBe(true);
    }
  });

  it("numeric fields accept plain decimal numbers only", () => {
    const n = wholeNumber("Count", 1, 100);
    for (const v of ["0x10", "1e1", [7], true, "7.5", 7.5, "", " ", null, {}]) expect(n.safeParse(v).success, JSON.stringify(v)).toBe(false);
    expect(n.parse("7")).toBe(7);
    expect(n.parse(7)).toBe(7);
    for (const v of ["0x10", [7], true]) expect(botSchema.safeParse({ ...bot, maxOpenOrders: v }).success, JSON.stringify(v)).toBe(false);
    for (const v of ["1e3", "0x10", "-5", "1,5", 10, "Infinity", "NaN"]) expect(positiveDecimal("Amount").safeParse(v).success, JSON.stringify(v)).toBe(false);
    expect(parseParams("dca", { intervalMinutes: "0x10" }).ok).toBe(false);
  });

  it("a parameter the strategy does not have is refused by name, not dropped (a misspelt one would keep its default)", () => {
    expect(parseParams("sma-cross", { fast: "5", slowe: "20" })).toEqual({ ok: false, errors: { "param.slowe": ["Not a parameter of SMA cross; its parameters are fast, slow, timeframe, quoteFraction."] } });
    expect(parseParams("sma-cross", { fast: "5", slow: "20" }).ok).toBe(true);
  });

  it("in a backtest, sma-cross's timeframe is the candles': set from them, and a different one is refused, not replaced", () => {
    expect(parseBacktestParams("sma-cross", { fast: "5" }, "4h")).toMatchObject({ ok: true, params: { fast: 5, timeframe: "4h" } });
    expect(parseBacktestParams("sma-cross", { timeframe: "4h" }, "4h").ok).toBe(true);
    const clash = parseBacktestParams("sma-cross", { timeframe: "1m" }, "4h");
    expect(clash.ok).toBe(false);
    expect(JSON.stringify(clash)).toContain("The candles are 4h");
    // a strategy without a candle timeframe: as parseParams (a timeframe is not one of its parameters)
    expect(parseBacktestParams("dca", {}, "4h").ok).toBe(true);
    expect(parseBacktestParams("dca", { timeframe: "4h" }, "4h").ok).toBe(false);
  });

  it("strategy amounts and risk limits must be above zero", () => {
    expect(parseParams("dca", { quoteAmount: "0" }).ok).toBe(false);
    expect(parseParams("dca", { quoteAmount: "0.00000000" }).ok).toBe(false);
    expect(parseParams("dca", { quoteAmount: "0.01" }).ok).toBe(true);
    expect(botSchema.safeParse({ ...bot, maxOrderNotional: "0" }).success).toBe(false);
  });
});
