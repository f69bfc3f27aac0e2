/**
 * `npm run demo-exchange -- [--port N] [--file PATH]`: the demo exchange alone.
 * (`npm start` embeds it unless DEMO_EXCHANGE=off.)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { env, EnvError } from "../../env";
import { onParentExit } from "../../cli/parent-watch";
import { ignoreBrokenPipes, shutdownWithDeadline } from "../../cli/process-safety";
import { DemoExchange } from "./server";

ignoreBrokenPipes();
try {
  const config = env();
  const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, file: { type: "string" } } });
  const port = Number(values.port ?? config.DEMO_EXCHANGE_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new EnvError("--port must be a port number (1–65535).");
  const file = values.file ?? path.join(config.dataDir, "demo-exchange.db");
  const demo = new DemoExchange({ file, port, host: values.host ?? "127.0.0.1", log: (m) => console.error(m) });
  const bound = await demo.listen();
  console.log(`[demo-exchange] Binance-compatible demo exchange on http://${values.host ?? "127.0.0.1"}:${bound} (state: ${file})`);
  const stop = () => shutdownWithDeadline(() => demo.close());
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  if (process.env.KEYWARD_SUPERVISED === "1") onParentExit(stop);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `Demo exchange failed to start: ${(err as Error).message}`);
  process.exit(err instanceof EnvError ? 78 : 1);
}
