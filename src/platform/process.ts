import { ConfigError } from 'src/platform/config/app-config';

/** Prints every bad configuration variable and exits, instead of a stack trace. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

/**
 * Graceful stop on SIGTERM/SIGINT: closes the app (the API stops accepting connections and lets in-flight
 * requests finish; the worker stops the relay and drains its jobs), then exits with code 0. A hang cannot
 * keep the process alive past the deadline (exit code 1).
 *
 * Nest's own `enableShutdownHooks()` re-raises the signal after closing, so the process would die *by*
 * SIGTERM (exit status 143) instead of exiting 0, which supervisors report as a crash. This listener stays
 * registered, swallows that re-raised signal (and repeated ones), and exits once the close has finished.
 */
export function exitGracefullyOnSignal(
  app: { close(): Promise<void> },
  deadlineMs: number,
  /** Settles when the close cannot finish cleanly any more (e.g. abandoned jobs): exit 1 at once. */
  giveUp?: Promise<unknown>,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      console.error(`shutdown on ${signal} took longer than ${deadlineMs} ms; exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    void giveUp?.then(() => {
      console.error(`shutdown on ${signal} abandoned running work; exiting`);
      process.exit(1);
    });
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`shutdown on ${signal} failed:`, err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, onSignal);
}
