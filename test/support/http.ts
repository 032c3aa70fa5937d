import { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface TestResponse<T = any> {
  status: number;
  headers: Record<string, string | number | string[] | undefined>;
  body: T;
  text: string;
}

/** Sends a request through Fastify's inject (the whole HTTP stack, no socket). */
export async function request<T = any>(
  app: NestFastifyApplication,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await app.inject({ method, url, headers, payload });
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, headers: res.headers, body: body as T, text: res.body };
}

export async function login(app: NestFastifyApplication, username: string, password: string): Promise<string> {
  const res = await request<{ accessToken: string }>(app, 'POST', '/api/v1/auth/token', { body: { username, password } });
  if (res.status !== 200) throw new Error(`log-in as ${username} failed: ${res.status} ${res.text}`);
  return res.body.accessToken;
}
