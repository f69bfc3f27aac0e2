-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN     "downAlertedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '{}',
    "secretSealed" BYTEA,
    "vaultKeyVersion" INTEGER,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "AlertChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT,
    "subjectLabel" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "link" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertCursor" (
    "name" TEXT NOT NULL,
    "lastEventId" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertCursor_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "Alert_status_nextAttemptAt_idx" ON "Alert"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Alert_channelId_event_createdAt_idx" ON "Alert"("channelId", "event", "createdAt");

-- CreateIndex
CREATE INDEX "Alert_channelId_createdAt_idx" ON "Alert"("channelId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_channelId_dedupeKey_key" ON "Alert"("channelId", "dedupeKey");

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "AlertChannel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
