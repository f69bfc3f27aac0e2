import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { needsBuild } from "@/lib/cli/build-freshness";

function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "keyward-build-"));
  for (const f of ["app/bots/page.tsx", "lib/bots/worker.ts", "lib/cli/start.ts", "lib/data/x.ts", ".next/BUILD_ID"]) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), "x");
  }
  const old = new Date(Date.now() - 60_000);
  for (const f of ["app/bots/page.tsx", "lib/bots/worker.ts", "lib/cli/start.ts", "lib/data/x.ts", "app/bots", "lib/bots", "lib/cli", "lib/data", "app", "lib"]) utimesSync(path.join(root, f), old, old);
  return root;
}

const touch = (root: string, f: string) => utimesSync(path.join(root, f), new Date(), new Date(Date.now() + 5000));

describe("needsBuild", () => {
  it("is false right after a build, and true without one", () => {
    const root = project();
    expect(needsBuild(root)).toBe(false);
    expect(needsBuild(path.join(root, "nothing-here"))).toBe(true);
  });

  it("notices a changed page anywhere under app/, including app/bots", () => {
    const root = project();
    touch(root, "app/bots/page.tsx");
    expect(needsBuild(root)).toBe(true);
  });

  it("ignores worker-only code (lib/bots, lib/cli)", () => {
    const root = project();
    touch(root, "lib/bots/worker.ts");
    touch(root, "lib/cli/start.ts");
    expect(needsBuild(root)).toBe(false);
    touch(root, "lib/data/x.ts");
    expect(needsBuild(root)).toBe(true);
  });
});
