import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequestRaw } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { REDIS_URL } from './env';

const ROOT = join(__dirname, '..', '..');
/** The built entry points (`npm run build`): tests of processes run exactly what production runs. */
export const DIST = {
  api: join(ROOT, 'dist', 'src', 'main.js'),
  worker: join(ROOT, 'dist', 'src', 'worker.js'),
  workerSmoke: join(ROOT, 'dist', 'src', 'scripts', 'worker-smoke.js'),
  startAll: join(ROOT, 'dist', 'src', 'scripts', 'start-all.js'),
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process exited. */
  at: number;
}

export interface NodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** Set once the process has exited. */
  exit?: Exit;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Waits until the output matches; fails with the output if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

const running = new Set<NodeProcess>();

// A child must never outlive the test process: an orphaned worker would keep relaying this database's outbox
// into its own Redis prefix and steal the events of later tests. On a normal exit the children are killed
// here; if the test process is killed outright, each child notices that its parent changed and exits.
process.on('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});
const WATCHDOG = `const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(70); }, 500).unref();
`;
let watchdogFile: string | undefined;
function watchdog(): string {
  if (!watchdogFile) {
    watchdogFile = join(mkdtempSync(join(tmpdir(), 'bum-test-')), 'parent-watchdog.js');
    writeFileSync(watchdogFile, WATCHDOG);
  }
  return watchdogFile;
}

/**
 * The environment of a child process: only what it needs (PATH for native modules), a quiet log, and no
 * migrations or database creation at start (the test database is a clone of the migrated template).
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    REDIS_URL,
    DB_CREATE_IF_MISSING: 'false',
    DB_MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    OUTBOX_POLL_INTERVAL_MS: '50',
    WORKER_HEARTBEAT_INTERVAL_MS: '1000',
    ...env,
  };
}

/**
 * Spawns `node <script>` with the given environment (see childEnv); killed by stopAllProcesses(). Waits a
 * while for the script if it is missing: a concurrent `npm run build` empties dist/ for a few seconds.
 */
export async function startNode(
  script: string,
  env: Record<string, string>,
  name = script.split('/').pop()!,
): Promise<NodeProcess> {
  for (let waited = 0; !existsSync(script); waited += 250) {
    if (waited >= 30_000) throw new Error(`${script} is missing: run \`npm run build\` first`);
    await sleep(250);
  }
  const child = spawn(process.execPath, ['--require', watchdog(), script], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 4_000_000) output = output.slice(-2_000_000);
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const handle: NodeProcess = {
    name,
    child,
    pid: child.pid!,
    exited: new Promise<Exit>((resolve) => {
      child.on('exit', (code, signal) => {
        handle.exit = { code, signal, at: Date.now() };
        running.delete(handle);
        for (const l of listeners) l();
        resolve(handle.exit);
      });
    }),
    output: () => output,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) done(resolve);
          else if (handle.exit)
            done(() =>
              reject(
                new Error(
                  `${name} exited (${describeExit(handle.exit!)}) before printing ${pattern}:\n${tail(output)}`,
                ),
              ),
            );
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${tail(output)}`)),
            ),
          timeoutMs,
        );
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
    signal(signal) {
      if (!handle.exit) child.kill(signal);
    },
  };
  running.add(handle);
  return handle;
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

export function tail(text: string, chars = 4000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/** Kills (SIGKILL) every child process a test left running and waits until they are gone. */
export async function stopAllProcesses(): Promise<void> {
  const left = [...running];
  for (const p of left) p.signal('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}

/** A TCP port on 127.0.0.1 that is free right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Thrown from a waitFor probe to stop waiting at once (e.g. the process under test has died). */
export class GiveUp extends Error {}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns something other than undefined/false; returns that. Fails after timeoutMs
 * with the last value or error, described by `what`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      );
    await sleep(intervalMs);
  }
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: T;
  /** Milliseconds from sending to the complete response. */
  ms: number;
}

/**
 * One HTTP request over a real socket (a fresh connection, `Connection: close`), to a child process.
 * Rejects on a connection error or if no complete response arrives within timeoutMs.
 */
export function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResponse<T>> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { connection: 'close', ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        agent: false,
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error(`${method} ${path}: response aborted`)));
        res.on('end', () => {
          if (!res.complete) return reject(new Error(`${method} ${path}: incomplete response`));
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            text,
            body: body as T,
            ms: Date.now() - started,
          });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${path}: no response within ${options.timeoutMs ?? 15_000} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Waits until GET url answers with `status` (e.g. /health/live 200). */
export async function waitForHttp(
  baseUrl: string,
  path: string,
  status = 200,
  timeoutMs = 20_000,
  proc?: NodeProcess,
): Promise<HttpResponse> {
  return waitFor(
    `${path} to answer ${status}`,
    async () => {
      if (proc?.exit)
        throw new GiveUp(`${proc.name} exited (${describeExit(proc.exit)}):\n${tail(proc.output())}`);
      const res = await http(baseUrl, 'GET', path, { timeoutMs: 3000 });
      return res.status === status ? res : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}${proc ? `\n${proc.name} output:\n${tail(proc.output())}` : ''}`);
  });
}

/** A Redis key prefix of its own for one test's processes (BullMQ queues, rate limits). */
export function uniquePrefix(label: string): string {
  return `bumtest-${label}-${process.env.JEST_WORKER_ID ?? '1'}-${process.pid}-${Date.now().toString(36)}`;
}

/** Deletes every Redis key under the prefix (what a test's processes left behind). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const { default: IORedis } = await import('ioredis');
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
