-- AlterTable
ALTER TABLE "Bot" ADD COLUMN "positionSince" DATETIME;
