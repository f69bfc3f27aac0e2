-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BalanceSnapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "botId" TEXT,
    "keyId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "free" TEXT NOT NULL,
    "used" TEXT NOT NULL,
    "total" TEXT NOT NULL,
    "paper" BOOLEAN NOT NULL DEFAULT false,
    "takenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_BalanceSnapshot" ("botId", "currency", "free", "id", "keyId", "takenAt", "total", "used") SELECT "botId", "currency", "free", "id", "keyId", "takenAt", "total", "used" FROM "BalanceSnapshot";
DROP TABLE "BalanceSnapshot";
ALTER TABLE "new_BalanceSnapshot" RENAME TO "BalanceSnapshot";
CREATE INDEX "BalanceSnapshot_keyId_takenAt_idx" ON "BalanceSnapshot"("keyId", "takenAt");
CREATE INDEX "BalanceSnapshot_botId_takenAt_idx" ON "BalanceSnapshot"("botId", "takenAt");
CREATE TABLE "new_Bot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "keyId" TEXT,
    "exchange" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "strategyVersion" INTEGER NOT NULL DEFAULT 1,
    "params" TEXT NOT NULL DEFAULT '{}',
    "mode" TEXT NOT NULL DEFAULT 'paper',
    "desiredState" TEXT NOT NULL DEFAULT 'stopped',
    "stopCancelsOrders" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'stopped',
    "statusMessage" TEXT,
    "statusSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workerId" TEXT,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "tickSeconds" INTEGER NOT NULL DEFAULT 5,
    "allowedSymbols" TEXT NOT NULL DEFAULT '[]',
    "maxOrderNotional" TEXT NOT NULL,
    "maxOpenOrders" INTEGER NOT NULL DEFAULT 5,
    "maxDailyLoss" TEXT NOT NULL,
    "maxPosition" TEXT,
    "killSwitch" BOOLEAN NOT NULL DEFAULT false,
    "cancelPending" BOOLEAN NOT NULL DEFAULT false,
    "strategyState" TEXT NOT NULL DEFAULT '{}',
    "orderSeq" INTEGER NOT NULL DEFAULT 0,
    "paperBalances" TEXT NOT NULL DEFAULT '{}',
    "paperStartQuote" TEXT NOT NULL DEFAULT '10000',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "Bot_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ExchangeKey" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Bot" ("allowedSymbols", "createdAt", "createdById", "deletedAt", "desiredState", "exchange", "id", "keyId", "killSwitch", "maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "mode", "name", "params", "status", "statusMessage", "strategy", "strategyVersion", "symbol", "updatedAt") SELECT "allowedSymbols", "createdAt", "createdById", "deletedAt", "desiredState", "exchange", "id", "keyId", "killSwitch", "maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "mode", "name", "params", "status", "statusMessage", "strategy", "strategyVersion", "symbol", "updatedAt" FROM "Bot";
DROP TABLE "Bot";
ALTER TABLE "new_Bot" RENAME TO "Bot";
CREATE UNIQUE INDEX "Bot_keyId_key" ON "Bot"("keyId");
CREATE INDEX "Bot_desiredState_idx" ON "Bot"("desiredState");
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "botId" TEXT NOT NULL,
    "keyId" TEXT,
    "clientOrderId" TEXT NOT NULL,
    "exchangeOrderId" TEXT,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "price" TEXT,
    "amount" TEXT NOT NULL,
    "filled" TEXT NOT NULL DEFAULT '0',
    "averagePrice" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "fencingToken" INTEGER NOT NULL,
    "paper" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "error" TEXT,
    "sentAt" DATETIME,
    "lookupMisses" INTEGER NOT NULL DEFAULT 0,
    "lastLookupAt" DATETIME,
    "cancelRequestedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ExchangeKey" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("amount", "averagePrice", "botId", "clientOrderId", "createdAt", "error", "exchangeOrderId", "fencingToken", "filled", "id", "keyId", "price", "side", "status", "symbol", "type", "updatedAt") SELECT "amount", "averagePrice", "botId", "clientOrderId", "createdAt", "error", "exchangeOrderId", "fencingToken", "filled", "id", "keyId", "price", "side", "status", "symbol", "type", "updatedAt" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_clientOrderId_key" ON "Order"("clientOrderId");
CREATE INDEX "Order_botId_status_idx" ON "Order"("botId", "status");
CREATE INDEX "Order_botId_createdAt_idx" ON "Order"("botId", "createdAt");
CREATE TABLE "new_Trade" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "botId" TEXT NOT NULL,
    "orderId" TEXT,
    "exchangeTradeId" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "fee" TEXT NOT NULL DEFAULT '0',
    "feeCurrency" TEXT,
    "executedAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paper" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Trade_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Trade_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Trade" ("amount", "botId", "exchangeTradeId", "executedAt", "fee", "feeCurrency", "id", "orderId", "price", "side", "symbol") SELECT "amount", "botId", "exchangeTradeId", "executedAt", "fee", "feeCurrency", "id", "orderId", "price", "side", "symbol" FROM "Trade";
DROP TABLE "Trade";
ALTER TABLE "new_Trade" RENAME TO "Trade";
CREATE INDEX "Trade_botId_executedAt_idx" ON "Trade"("botId", "executedAt");
CREATE UNIQUE INDEX "Trade_botId_exchangeTradeId_key" ON "Trade"("botId", "exchangeTradeId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
