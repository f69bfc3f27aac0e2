import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// The app under test is started the way users start it (lib/cli/start.ts, i.e.
// `npm start`) on its own port with its own, fresh data directory.
const port = Number(process.env.E2E_PORT ?? 3200);
// Set once in the runner process; workers inherit it, so tests can read the server's files (log, database).
process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `keyward-e2e-${process.pid}-${Date.now()}`);
const dataDir = process.env.E2E_DATA_DIR;
export const ownerState = path.join(dataDir, "owner-state.json");

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
      ],
    },
  },
  projects: [
    // Creates the owner through /setup and walks the login/logout/session flow; saves the owner's session.
    { name: "accounts", testMatch: /accounts\.setup\.ts/, use: { browserName: "chromium" } },
    { name: "chromium", dependencies: ["accounts"], use: { browserName: "chromium", storageState: ownerState } },
  ],
  webServer: {
    // The server's output also goes to server.log so tests can check that no secret reaches a log line.
    command: `mkdir -p '${dataDir}' && node --import tsx lib/cli/start.ts 2>&1 | tee '${path.join(dataDir, "server.log")}'`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(port),
      DEMO_EXCHANGE_PORT: String(port + 1),
      KEYWARD_DATA_DIR: dataDir,
      WORKER_HEARTBEAT_MS: "1000",
    },
  },
});
