/**
 * A process whose stdout reader is gone (its supervisor was killed) still
 * exits: an orphaned worker once hung for good in its exit, pino flushing
 * buffered lines into the broken pipe in a loop (sonic-boom 4's flushSync
 * sleeps and retries on any write error, EPIPE included).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const child = `
  const { log } = await import(${JSON.stringify(path.resolve("lib/log.ts"))});
  // the reader closes its end first; then a burst of lines and an immediate exit, as a worker's shutdown does
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 200; i++) log.info({ i }, "a line nobody reads");
  process.exit(0);
`;

describe("logging to a broken pipe", () => {
  it("does not keep a process from exiting", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], { stdio: ["ignore", "pipe", "inherit"] });
    proc.stdout.destroy(); // the supervisor is gone: nobody reads
    const exited = await new Promise<number | null | "hung">((resolve) => {
      const timer = setTimeout(() => resolve("hung"), 8000);
      proc.on("exit", (code) => (clearTimeout(timer), resolve(code)));
    });
    if (exited === "hung") proc.kill("SIGKILL");
    expect(exited).toBe(0);
  }, 15_000);

  it("writes every line before the exit when someone reads", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    expect(await new Promise((resolve) => proc.on("close", resolve))).toBe(0);
    const lines = out.trimEnd().split("\n").map((l) => JSON.parse(l) as { i: number; msg: string });
    expect(lines.map((l) => l.i)).toEqual([...Array(200).keys()]);
  }, 15_000);
});
