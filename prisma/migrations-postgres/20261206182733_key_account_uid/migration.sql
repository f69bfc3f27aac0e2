-- AlterTable
ALTER TABLE "ExchangeKey" ADD COLUMN     "accountUid" TEXT;
