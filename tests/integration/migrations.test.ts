import { describe, expect, it } from "vitest";
import { schemaDiff } from "@/lib/db/schema-diff";
import { createDb } from "@/lib/db/client";
import { applyMigrations, migrationsDir, readMigrationList } from "@/lib/db/migrations";
import { withThrowawayDatabase } from "@/lib/db/throwaway";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

describe.each(databaseKinds)("migrations on %s", (kind) => {
  it("the committed migrations produce exactly prisma/schema.prisma (no drift)", async () => {
    const sql = await withThrowawayDatabase(kind, (url) => schemaDiff(url));
    expect(sql.trim(), "schema changed without a migration: run `npm run db:migration:create -- NAME`").toMatch(/^(-- This is an empty migration\.)?$/);
  });

  it("applies pending migrations while another connection is open (a running web server)", async () => {
    await withThrowawayDatabase(kind, async (url) => {
      const other = createDb(url);
      try {
        await other.$queryRawUnsafe("SELECT 1");
        expect(await applyMigrations(url)).toHaveLength(readMigrationList(migrationsDir[kind]).migrationDirectories.length);
        expect(await other.user.count()).toBe(0);
      } finally {
        await other.$disconnect();
      }
    });
  });

  describe("applied to a fresh database", () => {
    const t = useTestDatabase(kind);

    it("a second run applies nothing and keeps data", async () => {
      await t.db.workerHeartbeat.create({ data: { workerId: "w1", host: "h", pid: 1, version: "0" } });
      expect(await applyMigrations(t.url)).toEqual([]);
      expect(await t.db.workerHeartbeat.count()).toBe(1);
    });

    it("enforces one key per bot with a unique constraint", async () => {
      const key = await t.db.exchangeKey.create({ data: { label: "k", exchange: "demo", maskedKeyId: "abcd", fingerprint: "f" } });
      const bot = { exchange: "demo", symbol: "BTC/USDT", strategy: "dca", maxOrderNotional: "100", maxDailyLoss: "50", keyId: key.id };
      await t.db.bot.create({ data: { name: "first", ...bot } });
      await expect(t.db.bot.create({ data: { name: "second", ...bot } })).rejects.toThrow(/Unique constraint/i);
    });

    it("never returns sealed secret columns unless asked for by name", async () => {
      const created = await t.db.exchangeKey.create({
        data: { label: "s", exchange: "demo", maskedKeyId: "wxyz", fingerprint: "g", secretSealed: new Uint8Array([1, 2, 3]) },
      });
      expect(created).not.toHaveProperty("secretSealed");
      const row = await t.db.exchangeKey.findUniqueOrThrow({ where: { id: created.id } });
      expect(row).not.toHaveProperty("secretSealed");
      const explicit = await t.db.exchangeKey.findUniqueOrThrow({ where: { id: created.id }, omit: { secretSealed: false } });
      expect(Array.from(explicit.secretSealed ?? [])).toEqual([1, 2, 3]);
    });
  });
});
