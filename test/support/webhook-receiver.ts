import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * A real HTTP receiver of webhook deliveries: it keeps what 2xx answers accepted (`received`)
 * and counts every request (`requests`). `answer` sets the status it answers; `down()` stops it
 * listening (connections are refused) and `up()` listens again on the same port.
 */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  requests: number;
  answer: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<WebhookReceiver> {
  let server: Server;
  let port = 0;
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    requests: 0,
    answer: 200,
    async down() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
    async up() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          receiver.requests++;
          const body = Buffer.concat(chunks).toString('utf8');
          if (receiver.answer < 300)
            receiver.received.push({ headers: req.headers, body, json: JSON.parse(body) });
          res.writeHead(receiver.answer, { 'content-type': 'text/plain' });
          res.end(receiver.answer < 300 ? 'thanks' : `unavailable ${'x'.repeat(1000)}`);
        });
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hook`;
    },
    close: () => receiver.down(),
  };
  await receiver.up();
  return receiver;
}

/** docs/webhooks.md "Verifying a delivery", as a receiver writes it. */
export function verifyTracelotSignature(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  return fresh && given.length === 32 && timingSafeEqual(given, Buffer.from(expected, 'hex'));
}

/** Waits until `check` holds (polling every 20 ms), or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not so after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
