-- AlterTable
ALTER TABLE "ExchangeKey" ADD COLUMN     "liveFingerprint" TEXT;

-- AlterTable
ALTER TABLE "User" DROP COLUMN "blockedUntil",
DROP COLUMN "failedLogins",
DROP COLUMN "failedWindowStart";

-- CreateTable
CREATE TABLE "AuthThrottle" (
    "subject" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "blockedUntil" TIMESTAMP(3),

    CONSTRAINT "AuthThrottle_pkey" PRIMARY KEY ("subject")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeKey_liveFingerprint_key" ON "ExchangeKey"("liveFingerprint");
