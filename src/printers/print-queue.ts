import { randomUUID } from 'node:crypto';
import type { Context } from '../context.js';
import type { LabelRenderer } from '../labels/label-render.js';
import { queuedJobCodes } from './print-job.repository.js';
import { CLAIM_STALE_MS, sendPrintJob } from './print-sender.js';

/**
 * The server's sender: sends queued jobs one at a time, oldest first. Woken when a job is
 * queued, and every `pollMs` besides, so that jobs queued before a restart, or by another
 * server or the CLI, go out too. Jobs live in the database; the queue holds no state but
 * whether it is running.
 */
export class PrintQueue {
  private readonly owner = randomUUID();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ctx: Context,
    private readonly renderer: LabelRenderer,
    private readonly pollMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Sends what is queued now; a wake while sending runs the queue once more after. */
  wake(): void {
    if (this.closed || !this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => console.error('print queue:', error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when the queue is idle: for tests and for closing. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.idle();
  }

  private async drain(): Promise<void> {
    const tried = new Set<string>();
    while (!this.closed) {
      const stale = new Date(this.ctx.clock().getTime() - CLAIM_STALE_MS).toISOString();
      const codes = (await queuedJobCodes(this.ctx.db, stale, 20)).filter((c) => !tried.has(c));
      if (codes.length === 0) return;
      for (const code of codes) {
        if (this.closed) return;
        tried.add(code);
        await sendPrintJob(this.ctx, code, { renderer: this.renderer, owner: this.owner });
      }
    }
  }
}
