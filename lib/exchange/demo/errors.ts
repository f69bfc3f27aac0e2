/**
 * Binance's error answers ({code, msg} with Binance's HTTP statuses), so ccxt
 * raises the same error classes against the demo exchange as against Binance.
 */
export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export const errors = {
  badApiKeyFormat: () => new BinanceError(401, -2014, "API-key format invalid."),
  rejectedKey: () => new BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action."),
  badSignature: () => new BinanceError(400, -1022, "Signature for this request is not valid."),
  timestamp: () => new BinanceError(400, -1021, "Timestamp for this request is outside of the recvWindow."),
  mandatory: (p: string) => new BinanceError(400, -1102, `Mandatory parameter '${p}' was not sent, was empty/null, or malformed.`),
  illegal: (p: string) => new BinanceError(400, -1100, `Illegal characters found in parameter '${p}'; legal range is '^[0-9]{1,20}(\\.[0-9]{1,20})?$'.`),
  badSymbol: () => new BinanceError(400, -1121, "Invalid symbol."),
  badEnum: (p: string) => new BinanceError(400, -1116, `Invalid ${p}.`),
  filter: (name: string) => new BinanceError(400, -1013, `Filter failure: ${name}`),
  marketClosed: () => new BinanceError(400, -1013, "Market is closed."),
  insufficient: () => new BinanceError(400, -2010, "Account has insufficient balance for requested action."),
  duplicate: () => new BinanceError(400, -2010, "Duplicate order sent."),
  unknownOrder: () => new BinanceError(400, -2011, "Unknown order sent."),
  noSuchOrder: () => new BinanceError(400, -2013, "Order does not exist."),
  tooMany: () => new BinanceError(429, -1003, "Too many requests; current limit is 6000 request weight per 1 MINUTE."),
  unknownEndpoint: () => new BinanceError(404, -1000, "Unknown endpoint."),
};
