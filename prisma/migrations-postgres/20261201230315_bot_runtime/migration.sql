-- AlterTable
ALTER TABLE "BalanceSnapshot" ADD COLUMN     "paper" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "cancelPending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "lastErrorAt" TIMESTAMP(3),
ADD COLUMN     "maxPosition" TEXT,
ADD COLUMN     "orderSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "paperBalances" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "paperStartQuote" TEXT NOT NULL DEFAULT '10000',
ADD COLUMN     "statusSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "stopCancelsOrders" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "strategyState" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "tickSeconds" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "workerId" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "lastLookupAt" TIMESTAMP(3),
ADD COLUMN     "lookupMisses" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "paper" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reason" TEXT,
ADD COLUMN     "sentAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Trade" ADD COLUMN     "paper" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "BalanceSnapshot_botId_takenAt_idx" ON "BalanceSnapshot"("botId", "takenAt");

-- CreateIndex
CREATE INDEX "Order_botId_createdAt_idx" ON "Order"("botId", "createdAt");

-- CreateIndex
CREATE INDEX "Trade_botId_executedAt_idx" ON "Trade"("botId", "executedAt");
