/**
 * A statement outside a transaction never joins another part of the process's
 * open transaction (lib/db/sqlite-serial.ts). On SQLite, Prisma's adapter ran
 * it on the same connection inside that transaction: a heartbeat or an order
 * row written meanwhile was undone by that transaction's rollback, and other
 * processes could not see it until the commit.
 */
import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

const event = (kind: string) => ({ data: { botId: null, level: "info", kind, message: kind, data: "{}" } });

describe.each(databaseKinds)("one connection, one thing at a time, on %s", (kind) => {
  const t = useTestDatabase(kind);

  it("a write made while another flow's transaction is open survives that transaction's rollback, and another process sees it", async () => {
    let inside!: () => void;
    const opened = new Promise<void>((r) => (inside = r));
    const failing = t.db
      .$transaction(async (tx) => {
        await tx.botEvent.create(event("test.rolled-back"));
        inside();
        await new Promise((r) => setTimeout(r, 300));
        throw new Error("roll back");
      })
      .catch((err: Error) => err.message);
    await opened;
    await t.db.botEvent.create(event("test.meanwhile")); // e.g. a worker's heartbeat, from another timer
    expect(await failing).toBe("roll back");
    const other = createDb(t.url);
    try {
      const kinds = (await other.botEvent.findMany({ where: { kind: { startsWith: "test." } } })).map((e) => e.kind);
      expect(kinds).toEqual(["test.meanwhile"]);
    } finally {
      await other.$disconnect();
    }
  });

  it("a batch transaction and plain writes sent at the same moment all land (no statement waits on itself)", async () => {
    const tx = t.db.$transaction([t.db.botEvent.create(event("test.batch-1")), t.db.botEvent.create(event("test.batch-2"))]);
    const plain = Promise.all([1, 2, 3].map((i) => t.db.botEvent.create(event(`test.plain-${i}`))));
    await Promise.all([tx, plain]);
    const kinds = (await t.db.botEvent.findMany({ where: { kind: { in: ["test.batch-1", "test.batch-2", "test.plain-1", "test.plain-2", "test.plain-3"] } }, orderBy: { id: "asc" } })).map((e) => e.kind);
    expect(kinds.sort()).toEqual(["test.batch-1", "test.batch-2", "test.plain-1", "test.plain-2", "test.plain-3"]);
  });
});
