import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { ShortCache } from "@/lib/short-cache";

describe("answers shared for a moment (the overview, the bots API)", () => {
  const db = {} as Db; // only a key for the cache
  it("shares an answer within its age, and not one built at another version: a page re-rendered because of an event sees it", async () => {
    const cache = new ShortCache<number>(60_000);
    let builds = 0;
    const build = async () => ++builds;
    expect(await cache.get(db, "all", build, 7)).toBe(1);
    expect(await cache.get(db, "all", build, 7)).toBe(1); // the same events: shared
    expect(await cache.get(db, "all", build, 8)).toBe(2); // a newer event: built again
    expect(await cache.get(db, "paper", build, 8)).toBe(3); // another key
    expect(await cache.get(db, "other", build)).toBe(4);
    expect(await cache.get(db, "other", build)).toBe(4); // no version: shared by age alone
  });
  it("builds again once the answer is older than its age, and keeps no failed build", async () => {
    const cache = new ShortCache<string>(0);
    let n = 0;
    expect(await cache.get(db, "k", async () => `a${++n}`)).toBe("a1");
    expect(await cache.get(db, "k", async () => `a${++n}`)).toBe("a2");
    const lasting = new ShortCache<string>(60_000);
    await expect(lasting.get(db, "k", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await new Promise((r) => setTimeout(r, 0));
    expect(await lasting.get(db, "k", async () => "up")).toBe("up");
  });
});
