/**
 * The web process's one reader of the BotEvent table, fanned out to every
 * live page and script (Server-Sent Events, lib/live/sse.ts).
 *
 * One feed per process reads new rows by id — woken by LISTEN/NOTIFY on
 * PostgreSQL (the runners NOTIFY after each write; a slow safety poll covers
 * writers that do not), by a short poll on SQLite — and hands each batch to
 * every subscriber whose filter it matches. Nothing is read while nobody
 * listens.
 *
 * Ids are the resume cursor (`Last-Event-ID`), so they must be delivered in
 * order and never skipped. On PostgreSQL two writers can commit out of id
 * order: id 11 may be visible before id 10. The feed therefore delivers only
 * the contiguous run after its cursor and holds back what follows a gap until
 * the gap fills — or, after `gapWaitMs`, takes the gap for an id that never
 * commits (a rolled-back insert burns its sequence value). SQLite has one
 * writer, so its ids commit in order and never wait.
 *
 * A subscriber that resumes reads the rows it missed from the table first,
 * while live batches queue for it, then switches to the live batches: no gap,
 * no repeat.
 */
import type { Db } from "../db/client";
import { channels, listen, type Listener } from "../db/notify";
import { toEventDTO, type EventDTO } from "../bot-settings/dto";

export interface FeedFilter {
  botId?: string;
  /** event types (the kind's first part); all when absent */
  types?: ReadonlySet<string>;
}

export interface FeedOptions {
  /** PostgreSQL URL to LISTEN on; absent (SQLite) means poll */
  listenUrl?: string;
  /** how often to look for new rows without a notification */
  pollMs: number;
  /** how long a hole in the ids may hold back the rows after it */
  gapWaitMs: number;
}

type Send = (events: EventDTO[]) => void;

interface Subscriber {
  filter: FeedFilter;
  send: Send;
  /** the last id this subscriber has been given (or passed over) */
  cursor: number;
  /** live batches that arrived while it was still catching up */
  queued: EventDTO[] | null;
}

const pageSize = 500;

export function matches(filter: FeedFilter, e: EventDTO): boolean {
  return (!filter.botId || e.botId === filter.botId) && (!filter.types || filter.types.has(e.type));
}

export class EventFeed {
  private cursor = -1;
  private readonly subs = new Set<Subscriber>();
  private listener: Listener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private gapSince: { id: number; at: number } | null = null;
  /** when the newest delivered row was written, for the lag metric */
  lastDeliveredAt: Date | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: FeedOptions,
  ) {}

  get subscribers(): number {
    return this.subs.size;
  }

  /** the newest id handed to subscribers */
  get deliveredId(): number {
    return this.cursor;
  }

  /**
   * Adds a subscriber. With `after` (a Last-Event-ID) it first gets every
   * matching row after that id; without, only what is written from now on.
   * Returns the unsubscribe function.
   */
  async subscribe(filter: FeedFilter, after: number | null, send: Send): Promise<() => void> {
    await this.start();
    const sub: Subscriber = { filter, send, cursor: after ?? this.cursor, queued: after === null ? null : [] };
    this.subs.add(sub);
    const unsubscribe = () => {
      this.subs.delete(sub);
      if (!this.subs.size) this.stop();
    };
    if (after !== null) {
      try {
        await this.catchUp(sub);
      } catch (err) {
        unsubscribe();
        throw err;
      }
    }
    return unsubscribe;
  }

  private async catchUp(sub: Subscriber): Promise<void> {
    for (;;) {
      const upTo = this.cursor;
      if (sub.cursor >= upTo) break;
      const rows = await this.db.botEvent.findMany({ where: { id: { gt: sub.cursor, lte: upTo }, ...(sub.filter.botId ? { botId: sub.filter.botId } : {}) }, orderBy: { id: "asc" }, take: pageSize });
      const events = rows.map(toEventDTO).filter((e) => matches(sub.filter, e));
      if (events.length) sub.send(events);
      sub.cursor = rows.length < pageSize ? upTo : rows[rows.length - 1]!.id;
    }
    const queued = sub.queued!;
    sub.queued = null;
    this.deliverTo(sub, queued);
  }

  private deliverTo(sub: Subscriber, batch: EventDTO[]): void {
    if (sub.queued) {
      sub.queued.push(...batch);
      return;
    }
    const fresh = batch.filter((e) => e.id > sub.cursor && matches(sub.filter, e));
    if (batch.length) sub.cursor = Math.max(sub.cursor, batch[batch.length - 1]!.id);
    if (fresh.length) sub.send(fresh);
  }

  private async start(): Promise<void> {
    if (this.cursor < 0) {
      const newest = await this.db.botEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
      this.cursor = Math.max(this.cursor, newest?.id ?? 0);
    }
    if (this.timer) return;
    const { listenUrl, pollMs } = this.options;
    if (listenUrl) this.listener = listen(listenUrl, channels.events, () => this.wake());
    this.timer = setInterval(() => this.wake(), pollMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.listener?.close();
    this.listener = null;
  }

  /** Reads new rows now (coalesced: one read at a time, one more if woken meanwhile). */
  wake(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.read()
      .catch(() => undefined) // the database was busy or away: the next wake-up tries again
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async read(): Promise<void> {
    for (;;) {
      const rows = await this.db.botEvent.findMany({ where: { id: { gt: this.cursor } }, orderBy: { id: "asc" }, take: pageSize });
      const ready = this.contiguous(rows);
      if (ready.length) {
        this.cursor = ready[ready.length - 1]!.id;
        this.lastDeliveredAt = ready[ready.length - 1]!.createdAt;
        const batch = ready.map(toEventDTO);
        for (const sub of this.subs) this.deliverTo(sub, batch);
      }
      if (ready.length < rows.length) {
        // held back behind a gap: look again shortly
        setTimeout(() => this.wake(), Math.min(50, this.options.gapWaitMs)).unref();
        return;
      }
      if (rows.length < pageSize) return;
    }
  }

  /** The rows that may be delivered now: those before the first gap, unless the gap has waited long enough. */
  private contiguous<T extends { id: number }>(rows: T[]): T[] {
    let expected = this.cursor + 1;
    for (let i = 0; i < rows.length; i++) {
      const id = rows[i]!.id;
      if (id !== expected) {
        const now = Date.now();
        if (this.gapSince?.id !== expected) this.gapSince = { id: expected, at: now };
        if (now - this.gapSince.at < this.options.gapWaitMs) return rows.slice(0, i);
        this.gapSince = null; // waited long enough: that id never committed
      }
      expected = id + 1;
    }
    return rows;
  }

  async close(): Promise<void> {
    this.subs.clear();
    this.stop();
    await this.reading;
  }
}
