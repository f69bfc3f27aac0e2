/**
 * Calls `onGone` once when this process's parent exits (we get re-parented).
 * `npm start` runs us through `sh -c`, and npm does not pass SIGTERM on to
 * the shell's child, so watching the parent is how a signal to npm still
 * stops Keyward. Also used by supervised children to follow a supervisor
 * that was SIGKILLed.
 */
export function onParentExit(onGone: () => void, intervalMs = 300): NodeJS.Timeout {
  const original = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== original) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}
