-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "positionSince" TIMESTAMP(3);
