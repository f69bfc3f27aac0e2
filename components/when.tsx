"use client";

/**
 * A moment in the reader's time zone. The server renders UTC (it cannot know
 * the zone); once hydrated the browser shows local time. The exact UTC time is
 * in the tooltip and the dateTime attribute.
 */
import { useSyncExternalStore } from "react";
import { utcMinute } from "@/lib/utc";

const noSubscription = () => () => undefined;
const local = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

export function When({ at }: { at: Date | string | null }) {
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  if (!at) return <span className="text-zinc-500">—</span>;
  const d = typeof at === "string" ? new Date(at) : at;
  const iso = d.toISOString();
  return (
    <time dateTime={iso} title={`${iso.replace("T", " ").slice(0, 19)} UTC`} className="whitespace-nowrap">
      {inBrowser ? local.format(d) : utcMinute(d)}
    </time>
  );
}
