import ccxt, { type Exchange } from "ccxt";
import { describe, expect, it } from "vitest";
import { credentialFields } from "@/lib/exchange/credential-fields";
import { detectors, detectScopes, hasPermissionEndpoint } from "@/lib/exchange/scopes";

/**
 * A real ccxt instance whose permission endpoint answers with a recorded,
 * documented response instead of going to the network. The method must
 * exist on the real class: a renamed implicit method fails the test.
 */
function recorded(id: string, responses: Record<string, unknown>): Exchange {
  const ex = new (ccxt as unknown as Record<string, new (c: object) => Exchange>)[id]!({ apiKey: "k", secret: "s", password: "p" });
  for (const [method, response] of Object.entries(responses)) {
    expect(typeof (ex as unknown as Record<string, unknown>)[method], `${id}.${method}`).toBe("function");
    (ex as unknown as Record<string, unknown>)[method] = async () => response;
  }
  return ex;
}

const cases: { id: string; apiKey?: string; responses: Record<string, unknown>; expect: Record<string, unknown> }[] = [
  {
    id: "binance",
    responses: {
      sapiGetAccountApiRestrictions: { ipRestrict: false, createTime: 1698645219000, enableReading: true, enableWithdrawals: false, enableInternalTransfer: false, enableMargin: false, enableFutures: false, permitsUniversalTransfer: false, enableVanillaOptions: false, enableFixApiTrade: false, enableFixReadOnly: true, enableSpotAndMarginTrading: false, enablePortfolioMarginTrading: true },
      // GET /api/v3/account, Binance's documented example (balances left out)
      privateGetAccount: { makerCommission: 15, takerCommission: 15, canTrade: true, canWithdraw: true, canDeposit: true, updateTime: 123456789, accountType: "SPOT", balances: [], permissions: ["SPOT"], uid: 354937868 },
    },
    expect: { read: true, trade: true, withdraw: false, transfer: false, ipRestricted: false, accountUid: "354937868" },
  },
  {
    id: "okx",
    responses: { privateGetAccountConfig: { code: "0", data: [{ perm: "read_only,withdraw,trade", ip: "", uid: "44705892343619584", mainUid: "44705892343619584" }] } },
    expect: { read: true, trade: true, withdraw: true, ipRestricted: false, ipList: [], unreported: ["expiresAt"], accountUid: "44705892343619584" },
  },
  {
    id: "okx",
    responses: { privateGetAccountConfig: { code: "0", data: [{ perm: "read_only", ip: "1.2.3.4,5.6.7.8" }] } },
    expect: { trade: false, withdraw: false, ipRestricted: true, ipList: ["1.2.3.4", "5.6.7.8"] },
  },
  {
    id: "bybit",
    responses: { privateGetV5UserQueryApi: { retCode: 0, result: { readOnly: 0, permissions: { Spot: ["SpotTrade"], Wallet: ["AccountTransfer", "SubMemberTransfer"], ContractTrade: [] }, ips: ["*"], expiredAt: "2031-03-01T00:00:00Z", userID: 24600000 } } },
    expect: { read: true, trade: true, withdraw: false, transfer: true, ipRestricted: false, expiresAt: new Date("2031-03-01T00:00:00Z"), accountUid: "24600000" },
  },
  {
    id: "bybit",
    responses: { privateGetV5UserQueryApi: { retCode: 0, result: { readOnly: 1, permissions: { Spot: ["SpotTrade"], Wallet: ["Withdraw"] }, ips: ["9.9.9.9"] } } },
    expect: { trade: false, withdraw: true, ipRestricted: true, ipList: ["9.9.9.9"] },
  },
  {
    id: "coinbase",
    responses: { v3PrivateGetBrokerageKeyPermissions: { can_view: true, can_trade: true, can_transfer: false, portfolio_uuid: "x", portfolio_type: "DEFAULT" } },
    expect: { read: true, trade: true, withdraw: false, unreported: ["ipRestricted", "expiresAt"] },
  },
  {
    id: "kraken",
    responses: { privatePostGetApiKeyInfo: { error: [], result: { apiKeyName: "my-api-key", permissions: ["query-funds", "withdraw-funds", "query-open-trades", "modify-trades"], validUntil: "0", ipAllowlist: [] } } },
    expect: { read: true, trade: true, withdraw: true, ipRestricted: false, expiresAt: null, accountUid: null },
  },
  {
    id: "kraken",
    responses: { privatePostGetApiKeyInfo: { error: [], result: { permissions: ["query-funds"], validUntil: "1924992000", ipAllowlist: ["10.1.1.1"] } } },
    expect: { read: true, trade: false, withdraw: false, ipRestricted: true, expiresAt: new Date(1924992000 * 1000) },
  },
  {
    id: "kucoin",
    responses: { privateGetUserApiKey: { code: "200000", data: { remark: "bot", apiKey: "k", apiVersion: 3, permission: "General,Spot", ipWhitelist: "127.0.0.1", isMaster: true, createdAt: 1700000000000 } } },
    expect: { read: true, trade: true, withdraw: false, ipRestricted: true },
  },
  {
    id: "bitget",
    responses: { privateSpotGetV2SpotAccountInfo: { code: "00000", data: { userId: "1", inviterId: "0", ips: "8.8.8.8", authorities: ["trade", "readonly"], parentId: 1, traderType: "trader" } } },
    expect: { read: true, trade: true, withdraw: false, ipRestricted: true, accountUid: "1" },
  },
  {
    id: "gate",
    apiKey: "the-key",
    responses: { privateAccountGetMainKeys: [{ mode: 1, name: "bot", perms: [{ name: "spot", read_only: false }, { name: "wallet", read_only: true }], ip_whitelist: [], key: "the-key", state: 1 }] },
    expect: { read: true, trade: true, withdraw: false, ipRestricted: false },
  },
  {
    id: "bitfinex",
    responses: { privatePostAuthRPermissions: [["account", 1, 0], ["orders", 1, 1], ["withdraw", 0, 0], ["wallets", 1, 0]] },
    expect: { read: true, trade: true, withdraw: false, transfer: false, unreported: ["ipRestricted", "expiresAt"] },
  },
  {
    id: "htx",
    apiKey: "ak",
    responses: { v2PrivateGetUserUid: { code: 200, data: 12345 }, v2PrivateGetUserApiKey: { code: 200, data: [{ accessKey: "ak", status: "normal", permission: "readOnly,trade", ipAddresses: "1.1.1.1,1.1.1.2", validDays: -1 }] } },
    expect: { read: true, trade: true, withdraw: false, ipRestricted: true, ipList: ["1.1.1.1", "1.1.1.2"], accountUid: "12345" },
  },
];

describe("detectScopes over each exchange's documented permission response", () => {
  it("covers the ten exchanges of the issue", () => {
    expect(new Set(cases.map((c) => c.id))).toEqual(new Set(["binance", "okx", "bybit", "coinbase", "kraken", "kucoin", "bitget", "gate", "bitfinex", "htx"]));
  });

  it.each(cases.map((c, i) => [`${c.id} #${i}`, c] as const))("%s", async (_name, c) => {
    const scopes = await detectScopes(recorded(c.id, c.responses), c.id, c.apiKey ?? "k");
    expect(scopes).toMatchObject({ source: "exchange", ...c.expect });
    expect(detectors[c.id]!.methods).toEqual(Object.keys(c.responses));
  });

  it("an exchange without a permission endpoint gets the user's declaration, marked unverified", async () => {
    expect(hasPermissionEndpoint("cryptocom")).toBe(false);
    const ex = recorded("cryptocom", {});
    await expect(detectScopes(ex, "cryptocom", "k")).rejects.toThrow(/declare/);
    const s = await detectScopes(ex, "cryptocom", "k", { read: true, trade: true, withdraw: false, ipRestricted: true, ipList: ["1.2.3.4"] });
    expect(s).toMatchObject({ source: "declared", read: true, trade: true, withdraw: false, ipRestricted: true });
    expect(s.notes.join()).toMatch(/not verified/);
  });
});

describe("credential fields from ccxt's requiredCredentials", () => {
  it.each([
    ["okx", ["apiKey", "secret", "password"]],
    ["kucoin", ["apiKey", "secret", "password"]],
    ["bitget", ["apiKey", "secret", "password"]],
    ["binance", ["apiKey", "secret"]],
    ["demo", ["apiKey", "secret"]],
    ["kraken", ["apiKey", "secret"]],
  ])("%s needs %j", (id, fields) => {
    expect(credentialFields(id).map((f) => f.name)).toEqual(fields);
  });

  it("coinbase's secret is a multi-line PEM", () => {
    expect(credentialFields("coinbase").find((f) => f.name === "secret")).toMatchObject({ multiline: true, label: "Private key (PEM)" });
  });

  it("unknown exchanges are refused", () => {
    expect(() => credentialFields("nope")).toThrow('Unsupported exchange "nope": use demo or a ccxt exchange id, e.g. binance, kraken or okx.');
  });
});

describe("issue 15: the trade probe, from the exchange's documented answers", () => {
  it("binanceus: -2011 'Unknown order sent.' means the key may trade; -2015 means it may not; anything else concludes nothing", async () => {
    const { tradeProbes } = await import("@/lib/exchange/trade-probe");
    const decide = tradeProbes.binanceus!.decide;
    // ccxt puts the answer's body in the error message after the exchange id
    expect(decide('binanceus {"code":-2011,"msg":"Unknown order sent."}')).toBe("can-trade");
    expect(decide('binanceus {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')).toBe("cannot-trade");
    expect(decide('binanceus {"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}')).toBeNull();
    expect(decide("binanceus GET https://api.binance.us/api/v3/order 503 Service Unavailable")).toBeNull();
  });

  it("binanceus through ccxt's own class and error handling: the probe sends DELETE /api/v3/order and reads the documented answer; the key's scopes say trade was probed", async () => {
    const { probeTrade } = await import("@/lib/exchange/trade-probe");
    for (const [body, decision] of [['{"code":-2011,"msg":"Unknown order sent."}', "can-trade"], ['{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}', "cannot-trade"]] as const) {
      const ex = new (ccxt as unknown as Record<string, new (c: object) => Exchange>).binanceus!({ apiKey: "k", secret: "s" });
      ex.setMarkets({ "BTC/USDT": { id: "BTCUSDT", symbol: "BTC/USDT", base: "BTC", quote: "USDT", baseId: "BTC", quoteId: "USDT", type: "spot", spot: true, active: true, precision: {}, limits: {}, info: {} } } as never);
      const requests: string[] = [];
      (ex as unknown as { fetchImplementation: unknown }).fetchImplementation = async (url: string, init: { method: string }) => {
        requests.push(`${init.method} ${url.split("?")[0]}`);
        return new Response(body, { status: 400, headers: { "content-type": "application/json" } });
      };
      expect(await probeTrade(ex, "binanceus")).toBe(decision);
      expect(requests).toEqual(["DELETE https://api.binance.us/api/v3/order"]);
      const scopes = await detectScopes(ex, "binanceus", "k", { read: true, trade: true, withdraw: false, ipRestricted: true });
      expect(scopes).toMatchObject({ source: "probed", trade: decision === "can-trade", read: true });
      expect(scopes.notes.join()).toMatch(/Trade was probed/);
    }
  });
});
