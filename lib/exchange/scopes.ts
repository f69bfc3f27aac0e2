/**
 * What an API key may do, read from the exchange's own permission endpoint
 * and normalized to one shape. ccxt has no unified call for this; each
 * exchange's implicit method and fields are listed in ../shared/EXCHANGES.md
 * §1. Fields an exchange does not report are listed in `unreported`, so the
 * UI can say "not reported" instead of showing a guess as a fact.
 */
import type { Exchange } from "ccxt";
import { probeTrade } from "./trade-probe";

export interface KeyScopes {
  read: boolean;
  trade: boolean;
  withdraw: boolean;
  transfer: boolean;
  ipRestricted: boolean;
  ipList: string[];
  expiresAt: Date | null;
  /**
   * The exchange's id of the account the key belongs to, where the exchange
   * names it (binance and the demo: uid; okx: uid; bybit: userID; bitget:
   * userId; htx: uid); null elsewhere. Keys of one account share its balances.
   */
  accountUid: string | null;
  /** exchange: read from its permission endpoint; declared: the user's word; probed: trade probed (./trade-probe.ts), the rest declared */
  source: "exchange" | "declared" | "probed";
  /** fields the exchange does not report (their values above are defaults, not facts) */
  unreported: ("ipRestricted" | "expiresAt" | "transfer")[];
  /** caveats, e.g. field meanings not confirmed by the exchange's documentation */
  notes: string[];
}

export type DeclaredScopes = Pick<KeyScopes, "read" | "trade" | "withdraw" | "ipRestricted"> & { ipList?: string[] };

type Raw = Record<string, unknown>;

interface Detector {
  /** ccxt implicit method(s) called, in order */
  methods: string[];
  fetch(ex: Exchange, apiKey: string): Promise<unknown>;
  parse(raw: unknown, apiKey: string): KeyScopes;
}

const call = (ex: Exchange, method: string, params: object = {}) => (ex as unknown as Record<string, (p: object) => Promise<unknown>>)[method]!(params);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? v.split(",") : []).map((s) => s.trim()).filter(Boolean);
const date = (v: unknown): Date | null => {
  if (v === undefined || v === null || v === "" || v === "0" || v === 0) return null;
  const n = Number(v);
  const d = Number.isFinite(n) ? new Date(n < 1e12 ? n * 1000 : n) : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
};
const base = (s: Partial<KeyScopes>): KeyScopes => ({ read: false, trade: false, withdraw: false, transfer: false, ipRestricted: false, ipList: [], expiresAt: null, accountUid: null, source: "exchange", unreported: [], notes: [], ...s });
const uid = (v: unknown): string | null => (v === undefined || v === null || v === "" || v === 0 || v === "0" ? null : String(v));
const data = (raw: unknown): Raw => ((raw as Raw)?.data ?? (raw as Raw)?.result ?? raw) as Raw;

const binance: Detector = {
  // the permissions, then the account (GET /api/v3/account) for its uid
  methods: ["sapiGetAccountApiRestrictions", "privateGetAccount"],
  fetch: async (ex) => ({ restrictions: await call(ex, "sapiGetAccountApiRestrictions"), account: await call(ex, "privateGetAccount") }),
  parse: (raw) => {
    const r = (raw as { restrictions: Raw }).restrictions;
    const trade = ["enableSpotAndMarginTrading", "enableMargin", "enableFutures", "enableVanillaOptions", "enablePortfolioMarginTrading", "enableFixApiTrade"].some((k) => r[k] === true);
    return base({
      read: r.enableReading === true,
      trade,
      withdraw: r.enableWithdrawals === true,
      transfer: r.enableInternalTransfer === true || r.permitsUniversalTransfer === true,
      ipRestricted: r.ipRestrict === true,
      // Binance reports whether the key is IP-restricted, not which IPs.
      expiresAt: date(r.tradingAuthorityExpirationTime),
      accountUid: uid((raw as { account: Raw }).account?.uid),
    });
  },
};

export const detectors: Record<string, Detector> = {
  binance,
  demo: binance,
  okx: {
    methods: ["privateGetAccountConfig"],
    fetch: (ex) => call(ex, "privateGetAccountConfig"),
    parse: (raw) => {
      const d = ((raw as Raw).data as Raw[])?.[0] ?? {};
      const perm = list(d.perm);
      const ips = list(d.ip);
      return base({ read: true, trade: perm.includes("trade"), withdraw: perm.includes("withdraw"), transfer: perm.includes("withdraw"), ipRestricted: ips.length > 0, ipList: ips, accountUid: uid(d.uid), unreported: ["expiresAt"], notes: ["OKX has no separate transfer permission; transfers need withdraw."] });
    },
  },
  bybit: {
    methods: ["privateGetV5UserQueryApi"],
    fetch: (ex) => call(ex, "privateGetV5UserQueryApi"),
    parse: (raw) => {
      const d = data(raw);
      const p = (d.permissions ?? {}) as Record<string, string[]>;
      const wallet = p.Wallet ?? [];
      const tradeGroups = ["Spot", "ContractTrade", "Derivatives", "Options", "Exchange", "CopyTrading"];
      const ips = list(d.ips).filter((ip) => ip !== "*");
      return base({
        read: true,
        trade: Number(d.readOnly) === 0 && tradeGroups.some((g) => (p[g] ?? []).length > 0),
        withdraw: wallet.includes("Withdraw"),
        transfer: wallet.includes("AccountTransfer") || wallet.includes("SubMemberTransfer"),
        ipRestricted: ips.length > 0,
        ipList: ips,
        expiresAt: date(d.expiredAt),
        accountUid: uid(d.userID),
      });
    },
  },
  coinbase: {
    methods: ["v3PrivateGetBrokerageKeyPermissions"],
    fetch: (ex) => call(ex, "v3PrivateGetBrokerageKeyPermissions"),
    parse: (raw) => {
      const r = raw as Raw;
      return base({ read: r.can_view === true, trade: r.can_trade === true, withdraw: r.can_transfer === true, transfer: r.can_transfer === true, unreported: ["ipRestricted", "expiresAt"], notes: ["Coinbase's can_transfer allows sending funds out, so it counts as withdraw."] });
    },
  },
  kraken: {
    methods: ["privatePostGetApiKeyInfo"],
    fetch: (ex) => call(ex, "privatePostGetApiKeyInfo"),
    parse: (raw) => {
      const d = data(raw);
      const perms = list(d.permissions);
      const ips = list(d.ipAllowlist);
      return base({
        read: perms.some((p) => p.startsWith("query-")),
        trade: perms.includes("modify-trades") || perms.includes("cancel-close-trades"),
        withdraw: perms.includes("withdraw-funds"),
        transfer: perms.includes("withdraw-funds"),
        ipRestricted: ips.length > 0,
        ipList: ips,
        expiresAt: date(d.validUntil),
      });
    },
  },
  kucoin: {
    methods: ["privateGetUserApiKey"],
    fetch: (ex) => call(ex, "privateGetUserApiKey"),
    parse: (raw) => {
      const d = data(raw);
      const perms = list(d.permission).map((p) => p.toLowerCase());
      const ips = list(d.ipWhitelist);
      return base({
        read: true,
        trade: perms.some((p) => ["spot", "margin", "futures", "trade"].includes(p)),
        withdraw: perms.some((p) => p.startsWith("withdraw")),
        transfer: perms.some((p) => p.startsWith("transfer") || p.startsWith("withdraw")),
        ipRestricted: ips.length > 0,
        ipList: ips,
        expiresAt: date(d.expiredAt),
        notes: ["KuCoin's exact permission names are not confirmed by its documentation; withdraw is matched by name."],
      });
    },
  },
  bitget: {
    methods: ["privateSpotGetV2SpotAccountInfo"],
    fetch: (ex) => call(ex, "privateSpotGetV2SpotAccountInfo"),
    parse: (raw) => {
      const d = data(raw);
      const auth = list(d.authorities).map((a) => a.toLowerCase());
      const ips = list(d.ips);
      return base({
        read: true,
        trade: auth.some((a) => a.includes("trade")),
        withdraw: auth.some((a) => a.includes("withdraw")),
        transfer: auth.some((a) => a.includes("transfer")),
        ipRestricted: ips.length > 0,
        ipList: ips,
        accountUid: uid(d.userId),
        unreported: ["expiresAt"],
        notes: ["Bitget's authority names are not confirmed by its documentation; they are matched by name."],
      });
    },
  },
  gate: {
    methods: ["privateAccountGetMainKeys"],
    fetch: (ex) => call(ex, "privateAccountGetMainKeys"),
    parse: (raw, apiKey) => {
      const keys = (Array.isArray(raw) ? raw : [raw]) as Raw[];
      const mine = keys.find((k) => String((k.key as Raw)?.key ?? k.key ?? "") === apiKey) ?? (keys.length === 1 ? keys[0]! : undefined);
      if (!mine) return base({ unreported: ["ipRestricted", "expiresAt", "transfer"], notes: ["Gate listed several keys and none matched this one; nothing could be read."] });
      const perms = (mine.perms ?? []) as { name: string; read_only: boolean }[];
      const writable = (name: string) => perms.some((p) => p.name === name && !p.read_only);
      const ips = list(mine.ip_whitelist);
      return base({
        read: perms.length > 0,
        trade: ["spot", "futures", "delivery", "options", "unified", "margin"].some(writable),
        withdraw: writable("wallet"),
        transfer: writable("wallet"),
        ipRestricted: ips.length > 0,
        ipList: ips,
        unreported: ["expiresAt"],
        notes: ["Gate has no separate withdraw permission; a writable wallet permission is treated as able to withdraw."],
      });
    },
  },
  bitfinex: {
    methods: ["privatePostAuthRPermissions"],
    fetch: (ex) => call(ex, "privatePostAuthRPermissions"),
    parse: (raw) => {
      const rows = (raw as [string, number, number][]) ?? [];
      const can = (scope: string, i: 1 | 2) => rows.some((r) => r[0] === scope && Number(r[i]) === 1);
      return base({
        read: rows.some((r) => Number(r[1]) === 1),
        trade: can("orders", 2),
        withdraw: can("withdraw", 2),
        transfer: can("wallets", 2),
        unreported: ["ipRestricted", "expiresAt"],
      });
    },
  },
  htx: {
    methods: ["v2PrivateGetUserUid", "v2PrivateGetUserApiKey"],
    fetch: async (ex, apiKey) => {
      const user = ((await call(ex, "v2PrivateGetUserUid")) as Raw).data;
      return { user, keys: await call(ex, "v2PrivateGetUserApiKey", { uid: user, accessKey: apiKey }) };
    },
    parse: (raw, apiKey) => {
      const { user, keys } = raw as { user: unknown; keys: Raw };
      const rows = (keys.data ?? []) as Raw[];
      const d = rows.find((r) => r.accessKey === apiKey) ?? rows[0] ?? {};
      const perms = list(d.permission);
      const ips = list(d.ipAddresses);
      return base({
        read: true,
        trade: perms.includes("trade"),
        withdraw: perms.includes("withdraw"),
        transfer: perms.includes("withdraw"),
        ipRestricted: ips.length > 0,
        ipList: ips,
        accountUid: uid(user),
        unreported: ["expiresAt"],
        notes: ["HTX reports validDays, whose meaning (-1) is not documented; expiry is not shown."],
      });
    },
  },
};

export function hasPermissionEndpoint(exchangeId: string): boolean {
  return exchangeId in detectors;
}

/**
 * Reads the key's scopes from the exchange. For an exchange without a
 * permission endpoint, returns the user's own declaration, marked as such.
 * Errors (wrong key, no permission, network) propagate as ccxt errors.
 */
export async function detectScopes(ex: Exchange, exchangeId: string, apiKey: string, declared?: DeclaredScopes): Promise<KeyScopes> {
  const detector = detectors[exchangeId];
  if (!detector) {
    if (!declared) throw new Error(`${exchangeId} has no API-key permission endpoint; declare the key's permissions yourself.`);
    const probed = await probeTrade(ex, exchangeId);
    return base({
      ...declared,
      ...(probed ? { trade: probed === "can-trade" } : {}),
      transfer: declared.withdraw,
      ipList: declared.ipList ?? [],
      source: probed ? "probed" : "declared",
      unreported: ["expiresAt"],
      notes: [
        probed
          ? `${exchangeId} has no endpoint that reports an API key's permissions. Trade was probed (a cancel of an order that cannot exist answered as ${probed === "can-trade" ? "a key that may trade" : "a key that may NOT trade"}); read, withdraw and the IP restriction are what you declared — check them on the exchange.`
          : `${exchangeId} has no endpoint that reports an API key's permissions, so these are what you declared. They are not verified: check them on the exchange.`,
      ],
    });
  }
  return detector.parse(await detector.fetch(ex, apiKey), apiKey);
}
