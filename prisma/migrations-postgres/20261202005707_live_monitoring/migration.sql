-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "cancelAsks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "market" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cancelAskedAt" TIMESTAMP(3),
ADD COLUMN     "cancelAskedBy" TEXT;

-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN     "metrics" TEXT NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "BotPnlPoint" (
    "id" SERIAL NOT NULL,
    "botId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "totalPnl" TEXT NOT NULL,
    "realizedPnl" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "price" TEXT NOT NULL,

    CONSTRAINT "BotPnlPoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BotPnlPoint_botId_at_idx" ON "BotPnlPoint"("botId", "at");

-- AddForeignKey
ALTER TABLE "BotPnlPoint" ADD CONSTRAINT "BotPnlPoint_botId_fkey" FOREIGN KEY ("botId") REFERENCES "Bot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
