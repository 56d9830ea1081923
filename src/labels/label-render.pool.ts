import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BusyError } from '../domain/errors.js';
import {
  receivedError,
  type LabelRenderer,
  type RenderJob,
  type SentError,
} from './label-render.js';

export interface RenderPoolOptions {
  /** Worker threads. Default: the cores but one, which the request thread keeps; at least 1. */
  workers?: number;
  /** Jobs that may wait for a worker; more are answered 503. Default 8. */
  queue?: number;
}

export interface RenderPoolStats {
  /** Worker threads started and alive. */
  workers: number;
  running: number;
  queued: number;
}

/** A 5,000-label PDF takes a few seconds of a worker: a client refused should wait about this. */
const RETRY_AFTER_SECONDS = 5;

type Message =
  | { type: 'ready' }
  | { type: 'piece'; piece: Uint8Array }
  | { type: 'end' }
  | { type: 'error'; error: SentError };

interface Waiting {
  job: RenderJob;
  resolve: (stream: Readable) => void;
  reject: (error: Error) => void;
}

/**
 * Renders labels in worker threads, so that a big PDF never holds up the requests the server
 * answers meanwhile: at most `workers` jobs run at once, `queue` more wait, and the output
 * streams to the response as it is drawn. A job whose client went away stops its worker.
 */
export class LabelRenderPool implements LabelRenderer {
  private readonly size: number;
  private readonly queueLimit: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly waiting: Waiting[] = [];
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? availableParallelism() - 1);
    this.queueLimit = Math.max(0, options.queue ?? 8);
  }

  render(job: RenderJob): Promise<Readable> {
    if (this.closed) return Promise.reject(new Error('the label renderer is closed'));
    const full = this.busy.size >= this.size && this.waiting.length >= this.queueLimit;
    if (full)
      return Promise.reject(
        new BusyError(
          `the server is drawing as many labels as it can (${this.busy.size} running, ${this.waiting.length} waiting): try again in a few seconds`,
          RETRY_AFTER_SECONDS,
        ),
      );
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.pump();
    });
  }

  stats(): RenderPoolStats {
    return {
      workers: this.idle.length + this.busy.size,
      running: this.busy.size,
      queued: this.waiting.length,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.waiting.splice(0))
      entry.reject(new Error('the label renderer is closed'));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? startWorker() : undefined);
      if (!worker) return;
      this.busy.add(worker);
      this.run(worker, this.waiting.shift()!);
    }
  }

  private run(worker: Worker, entry: Waiting): void {
    let ready = false;
    let finished = false;
    const stream = new Readable({
      read() {},
      destroy: (error, callback) => {
        // The client went away mid-render: the worker's remaining work is for nobody.
        if (!finished) finish(false);
        callback(error);
      },
    });
    const fail = (error: Error) => {
      if (ready) stream.destroy(error);
      else entry.reject(error);
    };
    const onMessage = (message: Message) => {
      switch (message.type) {
        case 'ready':
          ready = true;
          entry.resolve(stream);
          return;
        case 'piece':
          stream.push(message.piece);
          return;
        case 'end':
          finish(true);
          stream.push(null);
          return;
        case 'error':
          finish(true);
          fail(receivedError(message.error));
      }
    };
    const onExit = (code: number) => {
      finish(false);
      fail(new Error(`label worker: stopped with exit code ${code}`));
    };
    const onError = (error: Error) => {
      finish(false);
      fail(error);
    };
    // Releases the worker for the next job, or stops it when it may be in the middle of one.
    const finish = (reusable: boolean) => {
      if (finished) return;
      finished = true;
      worker.off('message', onMessage).off('exit', onExit).off('error', onError);
      this.busy.delete(worker);
      if (reusable && !this.closed) this.idle.push(worker);
      else void worker.terminate();
      this.pump();
    };
    worker.on('message', onMessage).once('exit', onExit).once('error', onError);
    worker.postMessage(entry.job);
  }
}

/**
 * The worker entry next to this module: label-render.worker.js when built. Under vitest or tsx
 * it is the .ts source, and Node 20 applies no `--import` loader to a worker's modules, so the
 * worker registers tsx's require hook (which works in any thread) and requires the source.
 */
function startWorker(): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./label-render.worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
  const worker = typescript
    ? new Worker(
        `require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs'))}); require(${JSON.stringify(fileURLToPath(entry))});`,
        { eval: true },
      )
    : new Worker(entry);
  // An idle worker must not keep a finished process alive; a busy one has a request open anyway.
  worker.unref();
  return worker;
}
