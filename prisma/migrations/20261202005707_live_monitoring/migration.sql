-- AlterTable
ALTER TABLE "Order" ADD COLUMN "cancelAskedAt" DATETIME;
ALTER TABLE "Order" ADD COLUMN "cancelAskedBy" TEXT;

-- CreateTable
CREATE TABLE "BotPnlPoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "botId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "totalPnl" TEXT NOT NULL,
    "realizedPnl" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    CONSTRAINT "BotPnlPoint_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

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
    "market" TEXT NOT NULL DEFAULT '{}',
    "cancelAsks" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    CONSTRAINT "Bot_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ExchangeKey" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Bot" ("allowedSymbols", "cancelPending", "createdAt", "createdById", "deletedAt", "desiredState", "exchange", "id", "keyId", "killSwitch", "lastError", "lastErrorAt", "maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "maxPosition", "mode", "name", "orderSeq", "paperBalances", "paperStartQuote", "params", "pnl", "pnlAt", "status", "statusMessage", "statusSince", "stopCancelsOrders", "strategy", "strategyState", "strategyVersion", "symbol", "tickSeconds", "updatedAt", "workerId") SELECT "allowedSymbols", "cancelPending", "createdAt", "createdById", "deletedAt", "desiredState", "exchange", "id", "keyId", "killSwitch", "lastError", "lastErrorAt", "maxDailyLoss", "maxOpenOrders", "maxOrderNotional", "maxPosition", "mode", "name", "orderSeq", "paperBalances", "paperStartQuote", "params", "pnl", "pnlAt", "status", "statusMessage", "statusSince", "stopCancelsOrders", "strategy", "strategyState", "strategyVersion", "symbol", "tickSeconds", "updatedAt", "workerId" FROM "Bot";
DROP TABLE "Bot";
ALTER TABLE "new_Bot" RENAME TO "Bot";
CREATE UNIQUE INDEX "Bot_keyId_key" ON "Bot"("keyId");
CREATE INDEX "Bot_desiredState_idx" ON "Bot"("desiredState");
CREATE TABLE "new_WorkerHeartbeat" (
    "workerId" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastBeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metrics" TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO "new_WorkerHeartbeat" ("host", "lastBeatAt", "pid", "startedAt", "version", "workerId") SELECT "host", "lastBeatAt", "pid", "startedAt", "version", "workerId" FROM "WorkerHeartbeat";
DROP TABLE "WorkerHeartbeat";
ALTER TABLE "new_WorkerHeartbeat" RENAME TO "WorkerHeartbeat";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "BotPnlPoint_botId_at_idx" ON "BotPnlPoint"("botId", "at");
