import { describe, expect, it } from "vitest";
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
