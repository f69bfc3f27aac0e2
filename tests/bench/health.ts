/**
 * Start-up time (spawn → /api/health ok with a worker heartbeat) and
 * /api/health throughput, against the app started as `npm start` starts it.
 * Builds first if needed (not counted). Options: --seconds N (default 10),
 * --connections N (default 10).
 */
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { health, isAlive, startApp, waitFor } from "../helpers/app-process";

const { values } = parseArgs({ args: process.argv.slice(3), options: { seconds: { type: "string", default: "10" }, connections: { type: "string", default: "10" } } });
const port = 3400;

async function bootOnce(): Promise<number> {
  const t0 = performance.now();
  const app = startApp(port);
  await waitFor("healthy", async () => ((await health(app.baseUrl)).status === "ok" ? true : undefined), 300_000, app);
  const ms = performance.now() - t0;
  app.proc.kill("SIGTERM");
  await app.exited;
  return ms;
}

await bootOnce(); // warm-up: builds if the build is missing or stale
const startups: number[] = [];
for (let i = 0; i < 3; i++) startups.push(await bootOnce());
const startupMedian = startups.sort((a, b) => a - b)[1]!;
console.log(`start-up to healthy (3 runs): ${startups.map((s) => `${(s / 1000).toFixed(2)} s`).join(", ")}`);

const app = startApp(port);
await waitFor("healthy", async () => ((await health(app.baseUrl)).status === "ok" ? true : undefined), 120_000, app);
const result = await autocannon({ url: `${app.baseUrl}/api/health`, connections: Number(values.connections), duration: Number(values.seconds) });
const pids = [app.proc.pid!, ...app.childPids("web"), ...app.childPids("worker")];
app.proc.kill("SIGTERM");
await app.exited;
if (pids.some(isAlive)) console.log("warning: a process outlived SIGTERM");

console.log(`requests: ${result.requests.total} in ${result.duration} s, non-2xx: ${result.non2xx}, errors: ${result.errors}`);
console.log(`latency ms: p50 ${result.latency.p50}, p99 ${result.latency.p99}, max ${result.latency.max}`);
console.log(`health: ${Math.round(result.requests.average)} req/s (${values.connections} connections), p99 ${result.latency.p99} ms; start-up median ${(startupMedian / 1000).toFixed(2)} s`);
