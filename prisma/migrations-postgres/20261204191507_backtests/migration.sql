-- CreateTable
CREATE TABLE "Candle" (
    "exchange" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "openTime" TIMESTAMP(3) NOT NULL,
    "open" TEXT NOT NULL,
    "high" TEXT NOT NULL,
    "low" TEXT NOT NULL,
    "close" TEXT NOT NULL,
    "volume" TEXT NOT NULL,

    CONSTRAINT "Candle_pkey" PRIMARY KEY ("exchange","symbol","timeframe","openTime")
);

-- CreateTable
CREATE TABLE "BacktestJob" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BacktestJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BacktestJob_status_createdAt_idx" ON "BacktestJob"("status", "createdAt");
