import { Readable } from 'node:stream';
import { ValidationError } from '../domain/errors.js';
import type { LabelData, LabelTemplate } from '../domain/label-template.js';
import { preparePdf } from './label-pdf.js';
import type { ZplDpi } from '../domain/label-media.js';
import { renderLabelsZpl } from './label-zpl.js';

/** What a renderer makes: plain data, so that it crosses to a worker thread as it is. */
export type RenderJob =
  | { format: 'pdf'; template: LabelTemplate; labels: LabelData[]; startPosition?: number }
  | { format: 'zpl'; template: LabelTemplate; labels: LabelData[]; dpi: ZplDpi };

export interface LabelRenderer {
  /**
   * Resolves once the labels are laid out and checked (a ValidationError rejects it, before any
   * byte), with the stream of the output as it is drawn.
   */
  render(job: RenderJob): Promise<Readable>;
}

/** Sends a job's output in pieces of about this size (a PDF comes in many small writes). */
const PIECE_BYTES = 64 * 1024;

/**
 * Renders a job, handing the output to `send` in pieces. `ready` is called when every label is
 * laid out, before the first piece.
 */
export async function runJob(
  job: RenderJob,
  ready: () => void,
  send: (piece: Uint8Array) => void,
): Promise<void> {
  if (job.format === 'zpl') {
    const zpl = renderLabelsZpl(job.template, job.labels, { dpi: job.dpi });
    ready();
    send(new TextEncoder().encode(zpl));
    return;
  }
  const pdf = preparePdf(job.template, job.labels, {
    ...(job.startPosition !== undefined && { startPosition: job.startPosition }),
  });
  ready();
  let pending: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    if (size === 0) return;
    // A piece of its own memory, never a slice of Node's shared buffer pool: it may be
    // transferred to another thread.
    const piece = new Uint8Array(size);
    let offset = 0;
    for (const chunk of pending) {
      piece.set(chunk, offset);
      offset += chunk.byteLength;
    }
    send(piece);
    pending = [];
    size = 0;
  };
  await pdf.write((chunk) => {
    pending.push(chunk);
    size += chunk.byteLength;
    if (size >= PIECE_BYTES) flush();
  });
  flush();
}

/** Renders on the calling thread: for the CLI, which has no other requests to answer. */
export const renderInThread: LabelRenderer = {
  async render(job) {
    const pieces: Uint8Array[] = [];
    await runJob(
      job,
      () => undefined,
      (piece) => pieces.push(piece),
    );
    return Readable.from(pieces);
  },
};

/** An error as it crosses from a worker: a ValidationError keeps its field and reason. */
export interface SentError {
  name: string;
  message: string;
  field?: string | undefined;
  reason?: string;
}

export function sendableError(error: unknown): SentError {
  if (error instanceof ValidationError)
    return {
      name: 'ValidationError',
      message: error.message,
      field: error.field,
      reason: error.reason,
    };
  return {
    name: 'Error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
}

export function receivedError(sent: SentError): Error {
  if (sent.name === 'ValidationError' && sent.field !== undefined && sent.reason !== undefined)
    return new ValidationError(sent.field, sent.reason);
  return new Error(`label worker: ${sent.message}`);
}
