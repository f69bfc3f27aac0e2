/**
 * A Server-Sent Events answer over the event feed: one `id:`/`event:`/`data:`
 * block per bot event (the event's type as the SSE event name, so
 * `EventSource.addEventListener("trade", …)` works), a comment every 15 s to
 * keep proxies from closing an idle connection, and the caller's
 * authorization checked again every 30 s — a revoked session or token ends
 * its stream. A client that stops reading is cut off once its backlog grows;
 * it reconnects with Last-Event-ID and catches up from the table.
 */
import { eventTypes, type EventDTO } from "../bot-settings/dto";
import type { FeedFilter } from "./event-feed";
import { liveFeed } from "./feed-instance";


const heartbeatMs = 15_000;
const recheckMs = 30_000;
/** bytes queued for a client that does not read before it is dropped */
const maxBacklogBytes = 1 << 20;

export class StreamQueryError extends Error {}

const streamParams = ["bot", "types", "lastEventId"];

/** The stream's filter from `?bot=` and `?types=order,trade`, and the resume point from `Last-Event-ID` (or `?lastEventId=`). */
export function streamRequest(req: Request): { filter: FeedFilter; after: number | null } {
  const url = new URL(req.url);
  const unknown = [...url.searchParams.keys()].filter((k) => !streamParams.includes(k));
  if (unknown.length) throw new StreamQueryError(`${unknown.join(", ")}: not a query parameter of the stream (it takes ${streamParams.join(", ")}).`);
  const filter: FeedFilter = {};
  const bot = url.searchParams.get("bot");
  if (bot !== null) {
    if (!/^[\w-]{1,64}$/.test(bot)) throw new StreamQueryError("bot: a bot id.");
    filter.botId = bot;
  }
  const types = url.searchParams.get("types");
  if (types !== null) {
    const list = types.split(",").map((t) => t.trim()).filter(Boolean);
    const unknown = list.filter((t) => !(eventTypes as readonly string[]).includes(t));
    if (!list.length || unknown.length) throw new StreamQueryError(`types: a comma-separated list of ${eventTypes.join(", ")}${unknown.length ? ` (not ${unknown.join(", ")})` : ""}.`);
    filter.types = new Set(list);
  }
  const last = req.headers.get("last-event-id") ?? url.searchParams.get("lastEventId");
  if (last !== null && !/^\d{1,15}$/.test(last.trim())) throw new StreamQueryError("Last-Event-ID: the id of the last event received (a whole number).");
  return { filter, after: last === null ? null : Number(last.trim()) };
}

export function formatEvents(events: EventDTO[]): string {
  return events.map((e) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
}

/**
 * The streaming answer. `stillAllowed` is asked every 30 s; when it says no,
 * the stream ends with an `event: end` block saying why.
 */
export async function eventStream(req: Request, stillAllowed: () => Promise<boolean>): Promise<Response> {
  const { filter, after } = streamRequest(req);
  const encoder = new TextEncoder();
  let close = () => undefined as void;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let unsubscribe = () => undefined as void;
      const timers: NodeJS.Timeout[] = [];
      const write = (text: string) => {
        if (closed) return;
        if ((controller.desiredSize ?? 0) < -maxBacklogBytes) return close();
        controller.enqueue(encoder.encode(text));
      };
      close = () => {
        if (closed) return;
        closed = true;
        timers.forEach(clearInterval);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      req.signal.addEventListener("abort", close);
      write(`retry: 2000\n: keyward event stream\n\n`);
      timers.push(setInterval(() => write(`: ping ${Date.now()}\n\n`), heartbeatMs));
      timers.push(
        setInterval(() => {
          void stillAllowed().then(
            (ok) => {
              if (ok) return;
              write(`event: end\ndata: {"reason":"Your session or token is no longer valid; sign in again."}\n\n`);
              close();
            },
            () => undefined,
          );
        }, recheckMs),
      );
      const feed = await liveFeed();
      unsubscribe = await feed.subscribe(filter, after, (events) => write(formatEvents(events)));
      if (closed) unsubscribe();
    },
    cancel() {
      close();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }));
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps Next's compression from buffering the stream
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
