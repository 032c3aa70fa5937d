import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's X-Request-Id when it is sane, else makes one; remembers it on the raw request. */
export function requestIdOf(raw: IncomingMessage): string {
  const tagged = raw as IncomingMessage & { requestId?: string };
  if (tagged.requestId) return tagged.requestId;
  const header = raw.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  tagged.requestId = given && VALID.test(given) ? given : randomUUID();
  return tagged.requestId;
}
