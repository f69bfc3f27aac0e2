/**
 * The demo exchange's symbols, with Binance-style filters, and the
 * exchangeInfo answer built from them.
 */
export interface SymbolSpec {
  /** Binance id, e.g. BTCUSDT */
  id: string;
  base: string;
  quote: string;
  basePrice: number;
  /** daily volatility-ish amplitude of the price path */
  amplitude: number;
  tickSize: string;
  stepSize: string;
  minQty: string;
  maxQty: string;
  minNotional: string;
  /** base quantity available at each synthetic book level; small for the thin market */
  levelQty: string;
}

export const symbols: SymbolSpec[] = [
  { id: "BTCUSDT", base: "BTC", quote: "USDT", basePrice: 60000, amplitude: 0.03, tickSize: "0.01", stepSize: "0.00001", minQty: "0.00001", maxQty: "9000", minNotional: "5", levelQty: "0.5" },
  { id: "ETHUSDT", base: "ETH", quote: "USDT", basePrice: 3000, amplitude: 0.04, tickSize: "0.01", stepSize: "0.0001", minQty: "0.0001", maxQty: "100000", minNotional: "5", levelQty: "8" },
  { id: "SOLUSDT", base: "SOL", quote: "USDT", basePrice: 150, amplitude: 0.06, tickSize: "0.01", stepSize: "0.001", minQty: "0.001", maxQty: "900000", minNotional: "5", levelQty: "150" },
  { id: "DEMOUSDT", base: "DEMO", quote: "USDT", basePrice: 1.2345, amplitude: 0.15, tickSize: "0.0001", stepSize: "1", minQty: "1", maxQty: "1000000", minNotional: "1", levelQty: "40" },
];

export const bySymbolId = new Map(symbols.map((s) => [s.id, s]));

/** `n` extra synthetic symbols (SYN0001/USDT …), to give the demo exchange a Binance-sized market list. */
export function syntheticSymbols(n: number): SymbolSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const base = `SYN${String(i + 1).padStart(4, "0")}`;
    return { id: `${base}USDT`, base, quote: "USDT", basePrice: 1 + (i % 97), amplitude: 0.05, tickSize: "0.0001", stepSize: "0.01", minQty: "0.01", maxQty: "1000000", minNotional: "1", levelQty: "500" };
  });
}

const pad = (v: string) => Number(v).toFixed(8);

export function exchangeInfo(serverTime: number, list: SymbolSpec[] = symbols) {
  return {
    timezone: "UTC",
    serverTime,
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
    ],
    exchangeFilters: [],
    symbols: list.map((s) => ({
      symbol: s.id,
      status: "TRADING",
      baseAsset: s.base,
      baseAssetPrecision: 8,
      quoteAsset: s.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      baseCommissionPrecision: 8,
      quoteCommissionPrecision: 8,
      orderTypes: ["LIMIT", "MARKET"],
      icebergAllowed: false,
      ocoAllowed: false,
      quoteOrderQtyMarketAllowed: false,
      allowTrailingStop: false,
      cancelReplaceAllowed: false,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        { filterType: "PRICE_FILTER", minPrice: pad(s.tickSize), maxPrice: "10000000.00000000", tickSize: pad(s.tickSize) },
        { filterType: "LOT_SIZE", minQty: pad(s.minQty), maxQty: pad(s.maxQty), stepSize: pad(s.stepSize) },
        { filterType: "NOTIONAL", minNotional: pad(s.minNotional), applyMinToMarket: true, maxNotional: "9000000.00000000", applyMaxToMarket: false, avgPriceMins: 5 },
      ],
      permissions: [],
      permissionSets: [["SPOT"]],
      defaultSelfTradePreventionMode: "NONE",
      allowedSelfTradePreventionModes: ["NONE"],
    })),
  };
}
