-- CreateTable
CREATE TABLE "Candle" (
    "exchange" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "openTime" DATETIME NOT NULL,
    "open" TEXT NOT NULL,
    "high" TEXT NOT NULL,
    "low" TEXT NOT NULL,
    "close" TEXT NOT NULL,
    "volume" TEXT NOT NULL,

    PRIMARY KEY ("exchange", "symbol", "timeframe", "openTime")
);

-- CreateTable
CREATE TABLE "BacktestJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "csv" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "cancelAsked" BOOLEAN NOT NULL DEFAULT false,
    "claimedBy" TEXT,
    "summary" TEXT,
    "report" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "BacktestJob_status_createdAt_idx" ON "BacktestJob"("status", "createdAt");
