/**
 * One SQLite connection, one thing at a time.
 *
 * Prisma's better-sqlite3 adapter keeps transactions from overlapping, but not
 * a plain query and a transaction: a query sent by any other part of the
 * process while a transaction is open (between its BEGIN and its COMMIT, which
 * are separate awaits) runs on the same connection inside that transaction.
 * It then holds the write lock with it, is invisible to other processes until
 * the commit, and is undone if the transaction rolls back — a worker's order
 * row or heartbeat lost because an unrelated alert transaction failed.
 * Here every statement outside a transaction waits until the open one ends
 * (tests/integration/sqlite-serial.test.ts). The connection is synchronous
 * anyway, so only the order changes, not the throughput.
 */
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { Mutex } from "../mutex";

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

function serial(inner: Adapter): Adapter {
  const lock = new Mutex();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (q) => lock.run(() => inner.queryRaw(q)),
    executeRaw: (q) => lock.run(() => inner.executeRaw(q)),
    executeScript: (script) => lock.run(() => inner.executeScript(script)),
    getConnectionInfo: inner.getConnectionInfo?.bind(inner),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel) {
      // the lock is held from BEGIN until the transaction commits or rolls back
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await new Promise<void>((entered) => void lock.run(() => (entered(), held)));
      let tx: Transaction;
      try {
        tx = await inner.startTransaction(isolationLevel);
      } catch (err) {
        release();
        throw err;
      }
      const end = (finish: () => Promise<void>) => finish().finally(release);
      return {
        provider: tx.provider,
        adapterName: tx.adapterName,
        options: tx.options,
        queryRaw: (q) => tx.queryRaw(q),
        executeRaw: (q) => tx.executeRaw(q),
        commit: () => end(() => tx.commit()),
        rollback: () => end(() => tx.rollback()),
        createSavepoint: tx.createSavepoint?.bind(tx),
        rollbackToSavepoint: tx.rollbackToSavepoint?.bind(tx),
        releaseSavepoint: tx.releaseSavepoint?.bind(tx),
      };
    },
  };
}

/** The adapter factory, its connections serialized. */
export function serialSqlite(factory: PrismaBetterSqlite3) {
  return {
    provider: "sqlite" as const,
    adapterName: factory.adapterName,
    connect: async () => serial(await factory.connect()),
    connectToShadowDb: async () => serial(await factory.connectToShadowDb()),
  };
}
