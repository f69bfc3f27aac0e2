/**
 * The demo exchange's own persistence: accounts, keys, balances, orders and
 * trades in a SQLite file (better-sqlite3, synchronous, so each request's
 * changes commit atomically). Survives restarts, so restart reconciliation can
 * be tested against it. Amounts are decimal strings.
 */
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

export interface KeyRow {
  apiKey: string;
  secret: string;
  accountId: number;
  canRead: number;
  canTrade: number;
  canWithdraw: number;
  canTransfer: number;
  ipRestrict: number;
  ips: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface OrderRow {
  orderId: number;
  accountId: number;
  symbol: string;
  clientOrderId: string;
  side: "BUY" | "SELL";
  type: "LIMIT" | "MARKET";
  timeInForce: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED";
  time: number;
  updateTime: number;
  lastMatchedAt: number;
}

export interface TradeRow {
  id: number;
  accountId: number;
  orderId: number;
  symbol: string;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: number;
  isMaker: number;
}

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, createdAt INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS balances (accountId INTEGER NOT NULL, asset TEXT NOT NULL, free TEXT NOT NULL, locked TEXT NOT NULL, PRIMARY KEY (accountId, asset));
CREATE TABLE IF NOT EXISTS keys (apiKey TEXT PRIMARY KEY, secret TEXT NOT NULL, accountId INTEGER NOT NULL, canRead INTEGER NOT NULL, canTrade INTEGER NOT NULL,
  canWithdraw INTEGER NOT NULL, canTransfer INTEGER NOT NULL, ipRestrict INTEGER NOT NULL, ips TEXT NOT NULL, createdAt INTEGER NOT NULL, revokedAt INTEGER);
CREATE TABLE IF NOT EXISTS orders (orderId INTEGER PRIMARY KEY AUTOINCREMENT, accountId INTEGER NOT NULL, symbol TEXT NOT NULL, clientOrderId TEXT NOT NULL,
  side TEXT NOT NULL, type TEXT NOT NULL, timeInForce TEXT NOT NULL, price TEXT NOT NULL, origQty TEXT NOT NULL, executedQty TEXT NOT NULL,
  cummulativeQuoteQty TEXT NOT NULL, status TEXT NOT NULL, time INTEGER NOT NULL, updateTime INTEGER NOT NULL, lastMatchedAt INTEGER NOT NULL,
  UNIQUE (accountId, clientOrderId));
CREATE INDEX IF NOT EXISTS orders_open ON orders (status);
CREATE TABLE IF NOT EXISTS trades (id INTEGER PRIMARY KEY AUTOINCREMENT, accountId INTEGER NOT NULL, orderId INTEGER NOT NULL, symbol TEXT NOT NULL,
  price TEXT NOT NULL, qty TEXT NOT NULL, quoteQty TEXT NOT NULL, commission TEXT NOT NULL, commissionAsset TEXT NOT NULL, time INTEGER NOT NULL,
  isBuyer INTEGER NOT NULL, isMaker INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS trades_account ON trades (accountId, symbol, id);
`;

export class DemoStore {
  readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.exec(schema);
  }

  close(): void {
    this.db.close();
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  meta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  /** The market seed, chosen once per data directory and kept. */
  seed(): string {
    let seed = this.meta("seed");
    if (!seed) this.setMeta("seed", (seed = process.env.DEMO_EXCHANGE_SEED ?? randomBytes(8).toString("hex")));
    return seed;
  }

  createAccount(balances: Record<string, string>, now: number): number {
    return this.tx(() => {
      const id = Number(this.db.prepare("INSERT INTO accounts (createdAt) VALUES (?)").run(now).lastInsertRowid);
      for (const [asset, free] of Object.entries(balances)) this.setBalance(id, asset, free, "0");
      return id;
    });
  }

  accountExists(id: number): boolean {
    return !!this.db.prepare("SELECT 1 FROM accounts WHERE id = ?").get(id);
  }

  balances(accountId: number): { asset: string; free: string; locked: string }[] {
    return this.db.prepare("SELECT asset, free, locked FROM balances WHERE accountId = ? ORDER BY asset").all(accountId) as { asset: string; free: string; locked: string }[];
  }

  balance(accountId: number, asset: string): { free: string; locked: string } {
    return (this.db.prepare("SELECT free, locked FROM balances WHERE accountId = ? AND asset = ?").get(accountId, asset) as { free: string; locked: string } | undefined) ?? { free: "0", locked: "0" };
  }

  setBalance(accountId: number, asset: string, free: string, locked: string): void {
    this.db.prepare("INSERT INTO balances (accountId, asset, free, locked) VALUES (?, ?, ?, ?) ON CONFLICT(accountId, asset) DO UPDATE SET free = excluded.free, locked = excluded.locked").run(accountId, asset, free, locked);
  }

  insertKey(k: KeyRow): void {
    this.db.prepare("INSERT INTO keys VALUES (@apiKey, @secret, @accountId, @canRead, @canTrade, @canWithdraw, @canTransfer, @ipRestrict, @ips, @createdAt, @revokedAt)").run(k);
  }

  key(apiKey: string): KeyRow | undefined {
    return this.db.prepare("SELECT * FROM keys WHERE apiKey = ?").get(apiKey) as KeyRow | undefined;
  }

  revokeKey(apiKey: string, now: number): boolean {
    return this.db.prepare("UPDATE keys SET revokedAt = ? WHERE apiKey = ? AND revokedAt IS NULL").run(now, apiKey).changes > 0;
  }

  updateKey(apiKey: string, fields: Partial<Pick<KeyRow, "canRead" | "canTrade" | "canWithdraw" | "canTransfer" | "ipRestrict" | "ips">>): boolean {
    const sets = Object.keys(fields).map((f) => `${f} = @${f}`);
    if (!sets.length) return false;
    return this.db.prepare(`UPDATE keys SET ${sets.join(", ")} WHERE apiKey = @apiKey`).run({ ...fields, apiKey }).changes > 0;
  }

  insertOrder(o: Omit<OrderRow, "orderId">): number {
    return Number(
      this.db
        .prepare(
          "INSERT INTO orders (accountId, symbol, clientOrderId, side, type, timeInForce, price, origQty, executedQty, cummulativeQuoteQty, status, time, updateTime, lastMatchedAt) VALUES (@accountId, @symbol, @clientOrderId, @side, @type, @timeInForce, @price, @origQty, @executedQty, @cummulativeQuoteQty, @status, @time, @updateTime, @lastMatchedAt)",
        )
        .run(o).lastInsertRowid,
    );
  }

  updateOrder(o: OrderRow): void {
    this.db.prepare("UPDATE orders SET executedQty = @executedQty, cummulativeQuoteQty = @cummulativeQuoteQty, status = @status, updateTime = @updateTime, lastMatchedAt = @lastMatchedAt WHERE orderId = @orderId").run(o);
  }

  order(accountId: number, symbol: string, by: { orderId?: number; clientOrderId?: string }): OrderRow | undefined {
    if (by.orderId !== undefined) return this.db.prepare("SELECT * FROM orders WHERE accountId = ? AND symbol = ? AND orderId = ?").get(accountId, symbol, by.orderId) as OrderRow | undefined;
    return this.db.prepare("SELECT * FROM orders WHERE accountId = ? AND symbol = ? AND clientOrderId = ?").get(accountId, symbol, by.clientOrderId) as OrderRow | undefined;
  }

  clientOrderIdTaken(accountId: number, clientOrderId: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM orders WHERE accountId = ? AND clientOrderId = ?").get(accountId, clientOrderId);
  }

  openOrders(accountId?: number, symbol?: string): OrderRow[] {
    const where = ["status IN ('NEW', 'PARTIALLY_FILLED')"];
    const args: (string | number)[] = [];
    if (accountId !== undefined) {
      where.push("accountId = ?");
      args.push(accountId);
    }
    if (symbol !== undefined) {
      where.push("symbol = ?");
      args.push(symbol);
    }
    return this.db.prepare(`SELECT * FROM orders WHERE ${where.join(" AND ")} ORDER BY orderId`).all(...args) as OrderRow[];
  }

  /** As Binance: from an order id, or with a start time, the first `limit` orders from there on; without, the last `limit`. */
  allOrders(accountId: number, symbol: string, limit: number, startTime?: number, fromOrderId?: number): OrderRow[] {
    if (fromOrderId !== undefined) return this.db.prepare("SELECT * FROM orders WHERE accountId = ? AND symbol = ? AND orderId >= ? ORDER BY orderId LIMIT ?").all(accountId, symbol, fromOrderId, limit) as OrderRow[];
    if (startTime !== undefined) return this.db.prepare("SELECT * FROM orders WHERE accountId = ? AND symbol = ? AND time >= ? ORDER BY orderId LIMIT ?").all(accountId, symbol, startTime, limit) as OrderRow[];
    return (this.db.prepare("SELECT * FROM orders WHERE accountId = ? AND symbol = ? ORDER BY orderId DESC LIMIT ?").all(accountId, symbol, limit) as OrderRow[]).reverse();
  }

  insertTrade(t: Omit<TradeRow, "id">): number {
    return Number(
      this.db
        .prepare("INSERT INTO trades (accountId, orderId, symbol, price, qty, quoteQty, commission, commissionAsset, time, isBuyer, isMaker) VALUES (@accountId, @orderId, @symbol, @price, @qty, @quoteQty, @commission, @commissionAsset, @time, @isBuyer, @isMaker)")
        .run(t).lastInsertRowid,
    );
  }

  /** As Binance: by order, from a trade id, or within [startTime, endTime]; without any of them, the last `limit`. */
  trades(accountId: number, symbol: string, opts: { orderId?: number; fromId?: number; startTime?: number; endTime?: number; limit: number }): TradeRow[] {
    const where = ["accountId = ?", "symbol = ?"];
    const args: (string | number)[] = [accountId, symbol];
    if (opts.startTime !== undefined) {
      where.push("time >= ?");
      args.push(opts.startTime);
    }
    if (opts.endTime !== undefined) {
      where.push("time <= ?");
      args.push(opts.endTime);
    }
    if (opts.orderId === undefined && opts.fromId === undefined && opts.startTime === undefined) {
      return (this.db.prepare(`SELECT * FROM trades WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`).all(...args, opts.limit) as TradeRow[]).reverse();
    }
    if (opts.orderId !== undefined) {
      where.push("orderId = ?");
      args.push(opts.orderId);
    }
    if (opts.fromId !== undefined) {
      where.push("id >= ?");
      args.push(opts.fromId);
    }
    return this.db.prepare(`SELECT * FROM trades WHERE ${where.join(" AND ")} ORDER BY id LIMIT ?`).all(...args, opts.limit) as TradeRow[];
  }
}
