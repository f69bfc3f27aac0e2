import { ActionForm } from "@/components/action-form";
import type { ActionState } from "@/lib/auth/action-state";

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

/** Start / pause / resume / stop for one bot, as its desired state allows. Stop asks whether to cancel its open orders. */
export function BotControls({ bot, action }: { bot: { id: string; name: string; desiredState: string; mode: string }; action: Action }) {
  const hidden = (what: string) => (
    <>
      <input type="hidden" name="id" value={bot.id} />
      <input type="hidden" name="action" value={what} />
    </>
  );
  return (
    <div className="flex flex-wrap items-start gap-2" data-testid="bot-controls">
      {bot.desiredState === "stopped" && (
        <ActionForm action={action} submitLabel="Start" confirm={bot.mode === "live" ? `Start "${bot.name}" trading with real money?` : undefined}>
          {hidden("start")}
        </ActionForm>
      )}
      {bot.desiredState === "running" && <ActionForm action={action} submitLabel="Pause">{hidden("pause")}</ActionForm>}
      {bot.desiredState === "paused" && <ActionForm action={action} submitLabel="Resume">{hidden("resume")}</ActionForm>}
      <ActionForm action={action} submitLabel="Stop" danger confirm={`Stop "${bot.name}"?`}>
        {hidden("stop")}
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" name="cancelOrders" defaultChecked /> cancel its open orders
        </label>
      </ActionForm>
    </div>
  );
}
