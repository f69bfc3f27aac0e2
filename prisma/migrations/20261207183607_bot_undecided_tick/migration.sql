-- AlterTable
ALTER TABLE "Bot" ADD COLUMN "undecidedTick" TEXT;
