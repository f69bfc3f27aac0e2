-- AlterTable
ALTER TABLE "WorkerHeartbeat" ADD COLUMN "downAlertedAt" DATETIME;

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '{}',
    "secretSealed" BLOB,
    "vaultKeyVersion" INTEGER,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "dueAt" DATETIME NOT NULL,
    "nextAttemptAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Alert_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "AlertChannel" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AlertCursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastEventId" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Alert_status_nextAttemptAt_idx" ON "Alert"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Alert_channelId_event_createdAt_idx" ON "Alert"("channelId", "event", "createdAt");

-- CreateIndex
CREATE INDEX "Alert_channelId_createdAt_idx" ON "Alert"("channelId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_channelId_dedupeKey_key" ON "Alert"("channelId", "dedupeKey");
