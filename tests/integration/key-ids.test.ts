/** Issue 15: demo keys are minted as Binance mints them, and masked ids tell keys of one account apart. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskKeyId } from "@/lib/keys/mask";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

describe("issue 15: key ids a person can tell apart", () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => demo?.close());

  it("100 demo keys minted for one account: 64 random letters and digits each, 100 different masked ids", async () => {
    const accountId = await demo.account({ USDT: "100" });
    const keys: string[] = [];
    for (let i = 0; i < 100; i++) keys.push((await demo.admin<{ apiKey: string }>("POST", "/_demo/keys", { accountId, permissions: { read: true } })).apiKey);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(keys.filter((k) => /0{4}$/.test(k)).length).toBeLessThan(2); // no padding
    const masked = keys.map(maskKeyId);
    expect(new Set(masked).size).toBe(100);
    expect(masked[0]).toBe(`${keys[0]!.slice(0, 4)}…${keys[0]!.slice(-4)}`);
  });
});
