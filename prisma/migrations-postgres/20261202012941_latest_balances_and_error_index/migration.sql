-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "balances" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "balancesAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "BotEvent_level_createdAt_idx" ON "BotEvent"("level", "createdAt");
