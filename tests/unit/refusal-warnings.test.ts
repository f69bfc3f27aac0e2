import { describe, expect, it } from "vitest";
import { refusalWarnings } from "@/lib/data/refusal-warnings";

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
