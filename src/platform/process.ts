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
 * Nest closes the app on SIGTERM/SIGINT (in-flight requests and jobs finish); this makes sure the process
 * is gone within the deadline even if something hangs.
 */
export function installShutdownDeadline(ms: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`shutdown took longer than ${ms} ms; exiting`);
        process.exit(1);
      }, ms).unref();
    });
}
