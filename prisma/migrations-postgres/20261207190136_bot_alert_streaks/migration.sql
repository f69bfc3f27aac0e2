-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "alertStreaks" TEXT;
