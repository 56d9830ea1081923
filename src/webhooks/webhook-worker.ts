import { now, type Context } from '../context.js';
import { ConflictError } from '../domain/errors.js';
import { retryDelay, signatureHeader } from '../domain/webhook-events.js';
import {
  claimDelivery,
  dueDeliveryRows,
  recordAttempt,
  type DeliveryRow,
} from './webhook-delivery.repository.js';
import { findWebhookRow } from './webhook.repository.js';
import { WEBHOOK_WORKER, pauseWebhook } from './webhook.service.js';

export interface WebhookWorkerOptions {
  /** How often to look for due deliveries when there were none (default 1 s). */
  pollMs?: number;
  /** The first retry's delay, doubling after each failure (default 30 s). */
  backoffBaseMs?: number;
  /** The longest delay between retries (default 1 h). */
  backoffCapMs?: number;
  /** How long after its first attempt a delivery is retried before it fails (default 24 h). */
  giveUpAfterMs?: number;
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
  /** Where a failure of the worker itself (not of a receiver) is reported. */
  onError?: (error: unknown) => void;
}

const DEFAULTS = {
  pollMs: 1000,
  backoffBaseMs: 30_000,
  backoffCapMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
  timeoutMs: 10_000,
};

/** How much of a receiver's answer the log keeps. */
export const RESPONSE_EXCERPT = 500;

/**
 * Sends the outbox's deliveries (docs/webhooks.md), in every `tracelot serve`. Each round takes
 * every subscription's oldest due delivery, claims it with a guarded update (so servers sharing
 * a database never send one twice at once), POSTs it signed, and records the answer: 2xx is
 * delivered; anything else is retried with a doubling delay until `giveUpAfterMs` after the
 * first attempt, when it fails and its subscription is paused. A server killed mid-send leaves
 * its claim, which lapses after twice the receiver's timeout; another round sends it again.
 */
export class WebhookWorker {
  readonly #ctx: Context;
  readonly #options: Required<Omit<WebhookWorkerOptions, 'onError'>>;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: Context, options: WebhookWorkerOptions = {}) {
    this.#ctx = ctx;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.#options = { ...DEFAULTS, ...given };
    this.#onError = options.onError ?? (() => undefined);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops polling and waits for the round under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce().then(
        (sent) => this.#schedule(sent > 0 ? 0 : this.#options.pollMs),
        (error: unknown) => {
          this.#onError(error);
          this.#schedule(this.#options.pollMs);
        },
      );
    }, ms);
  }

  /** One round: sends each subscription's oldest due delivery; returns how many it attempted. */
  async runOnce(): Promise<number> {
    const due = await dueDeliveryRows(this.#ctx.db, now(this.#ctx));
    const attempted = await Promise.all(due.map((row) => this.#attempt(row)));
    return attempted.filter(Boolean).length;
  }

  async #attempt(row: DeliveryRow): Promise<boolean> {
    const ctx = this.#ctx;
    const at = now(ctx);
    // Held for twice the receiver's timeout, so the claim outlives any attempt still running; a
    // server killed mid-send holds the delivery no longer than that.
    const until = new Date(Date.parse(at) + 2 * this.#options.timeoutMs).toISOString();
    if (!(await claimDelivery(ctx.db, Number(row.id), at, until))) return false;
    const webhook = await findWebhookRow(ctx.db, row.webhook_code);
    if (!webhook) return false;
    const answer = await this.#post(webhook.url, webhook.secret, row);
    const done = now(ctx);
    const attempts = Number(row.attempts) + 1;
    const first = row.first_attempt_at ?? at;
    const common = {
      attempts,
      first_attempt_at: first,
      last_attempt_at: done,
      last_status: answer.status,
      last_response: answer.excerpt,
      last_error: answer.error,
    };
    if (answer.error === null) {
      await recordAttempt(ctx.db, Number(row.id), {
        ...common,
        status: 'delivered',
        delivered_at: done,
      });
      return true;
    }
    const giveUp = Date.parse(done) - Date.parse(first) >= this.#options.giveUpAfterMs;
    if (giveUp) {
      await recordAttempt(ctx.db, Number(row.id), { ...common, status: 'failed' });
      await this.#pause(webhook.code, `deliveries failed since ${first}: ${answer.error}`);
      return true;
    }
    const { backoffBaseMs, backoffCapMs } = this.#options;
    const delay = retryDelay(attempts, backoffBaseMs, backoffCapMs, Math.random);
    await recordAttempt(ctx.db, Number(row.id), {
      ...common,
      next_attempt_at: new Date(Date.parse(done) + delay).toISOString(),
    });
    return true;
  }

  async #pause(code: string, reason: string): Promise<void> {
    try {
      await pauseWebhook(this.#ctx, WEBHOOK_WORKER, code, reason);
    } catch (error) {
      // Another server paused it first, or an admin deleted it meanwhile: nothing left to do.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  async #post(
    url: string,
    secret: string,
    row: DeliveryRow,
  ): Promise<{ status: number | null; excerpt: string | null; error: string | null }> {
    const t = Math.floor(this.#ctx.clock().getTime() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tracelot-Webhooks',
          'tracelot-signature': signatureHeader(secret, t, row.payload),
          'tracelot-event': row.event_type,
          'tracelot-delivery': String(row.id),
        },
        body: row.payload,
      });
      const excerpt = await readExcerpt(res);
      const ok = res.status >= 200 && res.status < 300;
      return { status: res.status, excerpt, error: ok ? null : `HTTP ${res.status}` };
    } catch (error) {
      return { status: null, excerpt: null, error: describe(error) };
    }
  }
}

/** The first RESPONSE_EXCERPT characters of an answer, reading no more of it than that needs. */
async function readExcerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < RESPONSE_EXCERPT) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, RESPONSE_EXCERPT);
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const text = cause?.code ?? (error instanceof Error ? error.message : String(error));
  return text.slice(0, RESPONSE_EXCERPT);
}
