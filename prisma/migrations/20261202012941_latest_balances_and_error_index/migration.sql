-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "pnl" TEXT NOT NULL DEFAULT '{}',
    "pnlAt" DATETIME,
    "balances" TEXT NOT NULL DEFAULT '{}',
    "balancesAt" DATETIME,
    "market" TEXT NOT NULL DEFAULT '{}',
    "cancelAsks" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "Bot_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ExchangeKey" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Bot" ("allowedSymbols", "cancelAsks", "cancelPending", "createdAt", "createdById", "deletedAt", "desiredState", "exchange", "id", "keyId", "killSwitch", "lastError", "lastErrorAt", "market", "maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "maxPosition", "mode", "name", "orderSeq", "paperBalances", "paperStartQuote", "params", "pnl", "pnlAt", "status", "statusMessage", "statusSince", "stopCancelsOrders", "strategy", "strategyState", "strategyVersion", "symbol", "tickSeconds", "updatedAt", "workerId") SELECT "allowedSymbols", "cancelAsks", "cancelPending", "createdAt", "createdById", "deletedAt", "desiredState", "exchange", "id", "keyId", "killSwitch", "lastError", "lastErrorAt", "market", "maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "maxPosition", "mode", "name", "orderSeq", "paperBalances", "paperStartQuote", "params", "pnl", "pnlAt", "status", "statusMessage", "statusSince", "stopCancelsOrders", "strategy", "strategyState", "strategyVersion", "symbol", "tickSeconds", "updatedAt", "workerId" FROM "Bot";
DROP TABLE "Bot";
ALTER TABLE "new_Bot" RENAME TO "Bot";
CREATE UNIQUE INDEX "Bot_keyId_key" ON "Bot"("keyId");
CREATE INDEX "Bot_desiredState_idx" ON "Bot"("desiredState");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "BotEvent_level_createdAt_idx" ON "BotEvent"("level", "createdAt");
