"use client";

/**
 * Keeps a server-rendered page current: listens to the event stream
 * (/api/stream, Server-Sent Events) and re-renders the page from the server
 * when something it shows changed. Each event is also dispatched on `window`
 * as `keyward:event` for client components that draw it themselves (the
 * chart). `since` is the newest event id the page was rendered with: the
 * stream starts right after it, so nothing written between render and connect
 * is missed. The browser reconnects by itself (sending Last-Event-ID); the
 * badge says whether the page is live.
 */
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { eventTypes } from "@/lib/bot-settings/dto";

export interface LiveEvent {
  id: number;
  botId: string | null;
  type: string;
  kind: string;
  level: string;
  message: string;
  data: Record<string, unknown>;
  createdAt: string;
}

type State = "connecting" | "live" | "reconnecting" | "offline";

/**
 * `minGapMs`: at most one server re-render per this many ms (the first event
 * of a quiet spell renders at once) — short for one bot's page, longer for
 * pages that follow every bot, where events never stop.
 */
export function LiveUpdates({ botId, since, minGapMs = 300 }: { botId?: string; since: number; minGapMs?: number }) {
  const router = useRouter();
  const [state, setState] = useState<State>("connecting");
  const lastRefresh = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const params = new URLSearchParams({ lastEventId: String(since) });
    if (botId) params.set("bot", botId);
    const source = new EventSource(`/api/stream?${params}`);
    const refresh = () => {
      if (timer.current) return;
      const wait = Math.max(0, lastRefresh.current + minGapMs - Date.now());
      timer.current = setTimeout(() => {
        timer.current = null;
        lastRefresh.current = Date.now();
        router.refresh();
      }, wait);
    };
    const onEvent = (msg: MessageEvent<string>) => {
      window.dispatchEvent(new CustomEvent<LiveEvent>("keyward:event", { detail: JSON.parse(msg.data) as LiveEvent }));
      refresh();
    };
    for (const t of eventTypes) source.addEventListener(t, onEvent);
    source.addEventListener("end", () => {
      source.close();
      setState("offline");
    });
    let wasDown = false;
    source.onopen = () => {
      setState("live");
      if (wasDown) refresh(); // the page may have missed a status change while away
      wasDown = false;
    };
    source.onerror = () => {
      wasDown = true;
      // CLOSED: the server refused (signed out); CONNECTING: the browser retries by itself
      setState(source.readyState === EventSource.CLOSED ? "offline" : "reconnecting");
    };
    return () => {
      source.close();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
    // `since` only seeds the first connection; later renders must not reconnect
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [botId, router, minGapMs]);

  const label = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Not live — reload the page" }[state];
  const dot = { connecting: "bg-zinc-400", live: "bg-emerald-500", reconnecting: "bg-amber-500 animate-pulse", offline: "bg-red-500" }[state];
  return (
    <span role="status" aria-live="polite" data-live-state={state} className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {label}
    </span>
  );
}
