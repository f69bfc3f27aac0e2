-- AlterTable
ALTER TABLE "ExchangeKey" ADD COLUMN "liveFingerprint" TEXT;

-- CreateTable
CREATE TABLE "AuthThrottle" (
    "subject" TEXT NOT NULL PRIMARY KEY,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL,
    "blockedUntil" DATETIME
);

-- AlterTable (hand-written: Prisma's diff redefines the table, whose DROP would cascade-delete
-- every session and API token through their foreign keys; DROP COLUMN keeps them.)
ALTER TABLE "User" DROP COLUMN "failedLogins";
ALTER TABLE "User" DROP COLUMN "failedWindowStart";
ALTER TABLE "User" DROP COLUMN "blockedUntil";

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeKey_liveFingerprint_key" ON "ExchangeKey"("liveFingerprint");
