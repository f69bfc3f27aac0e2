import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/auto-refresh";
import { BotControls } from "@/components/bots/bot-controls";
import { BotStatus } from "@/components/bots/bot-status";
import { EventList, OrderTable, PnlCard, TradeTable } from "@/components/bots/bot-history";
import { PageHeader } from "@/components/empty-state";
import { requireUser } from "@/lib/auth/request";
import { atLeast } from "@/lib/auth/roles";
import { botDetail } from "@/lib/data/bot-detail";
import { strategies } from "@/lib/strategies/registry";
import { controlBotAction } from "../actions";

export const metadata: Metadata = { title: "Bot" };

export default async function BotPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireUser();
  const { id } = await params;
  const detail = await botDetail(id);
  if (!detail) notFound();
  const { bot } = detail;
  return (
    <>
      <AutoRefresh />
      <p className="mb-2 text-sm">
        <Link className="underline" href="/bots">
          ← Bots
        </Link>
      </p>
      <PageHeader title={bot.name} description={`${strategies[bot.strategy]?.name ?? bot.strategy} on ${bot.symbol} (${bot.exchange === "demo" ? "demo exchange" : bot.exchange}), ${bot.mode === "live" ? "LIVE" : "paper"}, a tick every ${bot.tickSeconds} s.`} />
      <section className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <BotStatus status={bot.status} statusMessage={bot.statusMessage} statusSince={bot.statusSince} lastError={bot.lastError} lastErrorAt={bot.lastErrorAt} workerId={bot.workerId} />
        {atLeast(session.user.role, "operator") && <BotControls bot={bot} action={controlBotAction} />}
      </section>
      <PnlCard pnl={bot.pnl} />
      <h2 className="mb-2 mt-8 text-lg font-medium">Open orders</h2>
      <OrderTable orders={detail.openOrders} empty="No open orders." testId="open-orders" />
      <h2 className="mb-2 mt-8 text-lg font-medium">Last 50 orders</h2>
      <OrderTable orders={detail.orders} empty="No orders yet: they appear here once the bot places them." testId="orders" />
      <h2 className="mb-2 mt-8 text-lg font-medium">Fills</h2>
      <TradeTable trades={detail.trades} />
      <h2 className="mb-2 mt-8 text-lg font-medium">Events</h2>
      <EventList events={detail.events} />
      <h2 className="mb-2 mt-8 text-lg font-medium">Configuration</h2>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-zinc-500">Key</dt>
        <dd>{bot.key ? `${bot.key.label} (…${bot.key.maskedKeyId}, ${bot.key.status})` : "—"}</dd>
        <dt className="text-zinc-500">Parameters</dt>
        <dd className="font-mono text-xs">{JSON.stringify(bot.params)}</dd>
        <dt className="text-zinc-500">Max order</dt>
        <dd>{bot.maxOrderNotional}</dd>
        <dt className="text-zinc-500">Max daily loss</dt>
        <dd>{bot.maxDailyLoss}</dd>
        <dt className="text-zinc-500">Max open orders</dt>
        <dd>{bot.maxOpenOrders}</dd>
        <dt className="text-zinc-500">Max position</dt>
        <dd>{bot.maxPosition ?? "—"}</dd>
      </dl>
    </>
  );
}
