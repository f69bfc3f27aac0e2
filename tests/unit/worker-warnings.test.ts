import { describe, expect, it } from "vitest";
import { refusalWarnings } from "@/lib/data/refusal-warnings";
import { workerWarnings } from "@/lib/data/worker-warnings";

const row = (workerId: string, stale: boolean, bots: number) => ({ workerId, host: "vm", bots, heartbeatAgeMs: stale ? 87_000 : 2_000, stale });

describe("issue 9/10: what the overview says about workers", () => {
  it("a silent worker still holding bots is an error that counts them; one whose bots moved on is a warning that says so", () => {
    const [holding, emptied] = workerWarnings([row("w-1", true, 2), row("w-2", true, 0), row("w-3", false, 3)], true);
    expect(holding).toEqual({ level: "error", message: "Worker w-1 on vm has not sent a heartbeat for 87 s: its 2 bot(s) move to another worker once their leases expire.", href: "/" });
    expect(emptied!.level).toBe("warn");
    expect(emptied!.message).toContain("it runs no bot now");
    expect(workerWarnings([row("w-3", false, 3)], true)).toEqual([]);
  });

  it("bots that want a worker while none beats: no bot trades", () => {
    const out = workerWarnings([row("w-1", true, 0)], true);
    expect(out.map((w) => w.message).at(-1)).toContain("No worker is running, so no bot trades.");
    expect(workerWarnings([], false)).toEqual([]);
  });
});

describe("what the overview says about bots whose orders were refused lately", () => {
  const bots = [
    { id: "a", name: "DCA", status: "running" },
    { id: "b", name: "Grid", status: "paused" },
    { id: "c", name: "Old", status: "stopped" },
    { id: "d", name: "Quiet", status: "running" },
  ];
  it("a running or paused bot with refusals gets one warning with the latest reason; a stopped one none", () => {
    const refusals = [
      { botId: "a", message: "Refused: the order is worth 24.86, more than the limit of 10 per order" },
      { botId: "b", message: "Refused: the position could reach 0.2, more than the limit of 0.1" },
      { botId: "a", message: "Refused: the order is worth 24.91, more than the limit of 10 per order" },
      { botId: "c", message: "Refused: the bot already has 5 open order(s), the limit is 5" },
      { botId: null, message: "Refused: not a bot's" },
    ];
    expect(refusalWarnings(refusals, bots)).toEqual([
      { level: "warn", message: 'Bot "DCA" had orders refused in the last hour (recorded 2 times); the latest: the order is worth 24.86, more than the limit of 10 per order.', href: "/bots/a" },
      { level: "warn", message: 'Bot "Grid" had orders refused in the last hour; the latest: the position could reach 0.2, more than the limit of 0.1.', href: "/bots/b" },
    ]);
    expect(refusalWarnings([], bots)).toEqual([]);
  });
});
