/**
 * Process hygiene shared by every Keyward process.
 *
 * - A closed stdout/stderr (e.g. `npm start | tee log` where tee was killed
 *   first) must not crash a process mid-shutdown: that orphaned its children.
 * - Shutdown has a hard deadline, so a hung cleanup can never leave a process
 *   running forever.
 */
export function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
    });
  }
}

/** Runs `cleanup`, then exits; exits anyway after `deadlineMs`. */
export function shutdownWithDeadline(cleanup: () => Promise<void>, deadlineMs = 4000): void {
  setTimeout(() => process.exit(0), deadlineMs).unref();
  cleanup()
    .catch(() => undefined)
    .finally(() => process.exit(0));
}
