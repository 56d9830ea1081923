import type { Context } from '../context.js';
import { readHead } from '../db/site.repository.js';
import type { ChangeRecord } from '../domain/change-record.js';
import { BusyError } from '../domain/errors.js';
import { liveEventsOf } from '../domain/live-events-of.js';
import {
  formatEventId,
  isAfter,
  readableEventTypes,
  sseFrame,
  type LiveEvent,
  type StreamPosition,
} from '../domain/live-events.js';
import type { Actor } from '../domain/roles.js';
import type { WebhookEventType } from '../domain/webhook-event-types.js';
import { buildsOfLots, listRecordsAfter, type RecordRow } from './live-event.repository.js';

export interface LiveEventOptions {
  /** How often the server reads new change records while a stream is open (default 500 ms). */
  pollMs?: number;
  /** How often an idle stream gets a comment, so proxies keep it open (default 15 s). */
  heartbeatMs?: number;
  /** Most streams open at once on this server (default 200); more are refused with 503. */
  maxStreams?: number;
  /** Most records a resumed stream catches up on; further behind, it is told to refetch (default 10,000). */
  maxBacklog?: number;
  /** A stream ends after this long (default 10 min): the browser reconnects, authenticated again. */
  maxAgeMs?: number;
  /** Where a failure to read the log is reported (the stream stays open and the read is retried). */
  onError?: (error: unknown) => void;
}

const DEFAULTS = {
  pollMs: 500,
  heartbeatMs: 15_000,
  maxStreams: 200,
  maxBacklog: 10_000,
  maxAgeMs: 600_000,
};

/** Records read per round; a full batch is followed at once by the next. */
const BATCH = 200;
/** A client this far behind in reading (bytes waiting to be sent) is dropped; it may resume. */
const MAX_BUFFERED = 1024 * 1024;

/** Where a stream's text goes: the HTTP response. */
export interface StreamSink {
  write(text: string): void;
  end(): void;
  /** Bytes written but not yet sent. */
  buffered(): number;
}

export interface OpenStream {
  /** Starts sending: the first frames (reset if due, ready), then every new event. */
  attach(sink: StreamSink): void;
  /** Ends the stream and frees its place (the client went away, or the server stops). */
  close(): void;
}

interface Stream {
  position: StreamPosition;
  types: Set<WebhookEventType>;
  opened: number;
  sink: StreamSink | undefined;
}

/**
 * Server-sent events of this site's change records (docs/live-updates.md), for every open stream
 * of this server. The change log in the database is the source, not this process: a change made
 * through another server on the same database is read here like one made here. One read of the
 * log per round for all streams — from the position of the stream furthest behind, so that a
 * resumed stream catches up in the same reads — and none while no stream is open.
 */
export class LiveEventHub {
  readonly #ctx: Context;
  readonly #options: typeof DEFAULTS;
  readonly #onError: (error: unknown) => void;
  readonly #streams = new Set<Stream>();
  /** Places taken by streams still opening (reading the head) or open. */
  #taken = 0;
  #site: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  /** The round under way, if one is. */
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: Context, options: LiveEventOptions = {}) {
    this.#ctx = ctx;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.#options = { ...DEFAULTS, ...given };
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Streams open now. */
  get size(): number {
    return this.#streams.size;
  }

  /**
   * Takes a place for a stream of what `actor` may read (of `types`, when given), from
   * `position` (a Last-Event-ID) or from now. A position of another site (before a restore) or
   * further behind than maxBacklog starts from now with a `reset` event: the client refetches.
   * Refused with 503 when maxStreams are open.
   */
  async open(
    actor: Actor,
    request: { position?: StreamPosition | undefined; types?: WebhookEventType[] | undefined },
  ): Promise<OpenStream> {
    const { maxStreams, maxBacklog } = this.#options;
    if (this.#stopped || this.#taken >= maxStreams)
      throw new BusyError(
        `this server has ${maxStreams} live-update streams open, its most: try again shortly (or ask another server)`,
        5,
      );
    this.#taken += 1;
    let head;
    try {
      head = await readHead(this.#ctx.db);
    } catch (error) {
      this.#taken -= 1;
      throw error;
    }
    this.#site = head.id;
    const now: StreamPosition = { site: head.id, seq: Number(head.head_seq), index: Infinity };
    const asked = request.position;
    const reset =
      asked === undefined
        ? undefined
        : asked.site !== now.site
          ? 'the event id is of another site or of this site before a restore'
          : asked.seq > now.seq
            ? 'the event id is ahead of this site’s change log'
            : now.seq - asked.seq > maxBacklog
              ? `more than ${maxBacklog} changes were made since that event`
              : undefined;
    const readable = new Set(readableEventTypes(actor.role));
    const types = request.types ?? [...readable];
    const stream: Stream = {
      position: asked === undefined || reset !== undefined ? now : asked,
      types: new Set(types.filter((t) => readable.has(t))),
      opened: Date.now(),
      sink: undefined,
    };
    let closed = false;
    return {
      attach: (sink) => {
        if (closed) return;
        stream.sink = sink;
        sink.write('retry: 3000\n\n');
        if (reset !== undefined)
          sink.write(sseFrame({ event: 'reset', data: { reason: `${reset}: refetch` } }));
        const id = formatEventId(stream.position);
        sink.write(sseFrame({ id, event: 'ready', data: { position: id } }));
        this.#streams.add(stream);
        this.#start();
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.#taken -= 1;
        this.#streams.delete(stream);
        stream.sink?.end();
      },
    };
  }

  /** Ends every stream and stops reading; waits for a read under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    this.#timer = this.#heartbeat = undefined;
    for (const stream of this.#streams) stream.sink?.end();
    this.#streams.clear();
    await this.#round;
  }

  /** Reads at once (a new stream may be behind), then every pollMs while streams are open. */
  #start(): void {
    this.#heartbeat ??= setInterval(() => this.#beat(), this.#options.heartbeatMs);
    if (this.#timer === undefined && this.#round === undefined) this.#schedule(0);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || this.#streams.size === 0) {
      // Nobody listens: no reads, no timers, until the next stream.
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#round = this.runOnce()
        .catch((error: unknown) => {
          this.#onError(error);
          return false;
        })
        .then((full) => {
          this.#round = undefined;
          this.#schedule(full ? 0 : this.#options.pollMs);
        });
    }, ms);
  }

  /** One round: sends every stream the events after its position; true when the batch was full. */
  async runOnce(): Promise<boolean> {
    const streams = [...this.#streams].filter((s) => s.position.site === this.#site);
    if (streams.length === 0 || this.#site === undefined) return false;
    // A stream part-way through a record (resumed after one of its events) reads it again.
    const from = Math.min(
      ...streams.map((s) => (s.position.index === Infinity ? s.position.seq : s.position.seq - 1)),
    );
    const rows = await listRecordsAfter(this.#ctx.db, this.#site, from, BATCH);
    if (rows.length === 0) return false;
    const events = await this.#eventsOf(this.#site, rows);
    const last = rows[rows.length - 1]!.seq;
    for (const stream of streams) {
      if (!this.#streams.has(stream)) continue;
      for (const { seq, index, event } of events) {
        if (!stream.types.has(event.type) || !isAfter(seq, index, stream.position)) continue;
        stream.sink?.write(sseFrame({ id: event.id, data: event }));
      }
      if (last >= stream.position.seq)
        stream.position = { ...stream.position, seq: last, index: Infinity };
      this.#dropIfStuck(stream);
    }
    return rows.length === BATCH;
  }

  async #eventsOf(
    site: string,
    rows: RecordRow[],
  ): Promise<{ seq: number; index: number; event: LiveEvent }[]> {
    const records = rows.map((row) => ({
      row,
      record: JSON.parse(row.content) as Pick<
        ChangeRecord,
        'at' | 'actor' | 'events' | 'ledger' | 'operation'
      >,
    }));
    // One look-up for the round: which builds the units of unit and test events belong to.
    const units = new Set<string>();
    for (const { record } of records) for (const e of record.events) units.add(e.subject);
    const builds = new Map(
      (await buildsOfLots(this.#ctx.db, [...units])).map((r) => [r.code, r.build_code]),
    );
    return records.flatMap(({ row, record }) =>
      liveEventsOf(
        {
          id: row.id,
          site,
          seq: row.seq,
          at: record.at,
          actor: record.actor,
          operation: record.operation,
          events: record.events,
          ledger: record.ledger,
        },
        (code) => builds.get(code),
      ).map(({ index, ...event }) => ({ seq: row.seq, index, event })),
    );
  }

  #beat(): void {
    const now = Date.now();
    for (const stream of [...this.#streams]) {
      if (now - stream.opened >= this.#options.maxAgeMs) {
        // Ended here; the client's close event frees its place.
        this.#streams.delete(stream);
        stream.sink?.end();
        continue;
      }
      stream.sink?.write(': keep-alive\n\n');
      this.#dropIfStuck(stream);
    }
  }

  /** A client that stopped reading would hold the server's memory: it is let go (and may resume). */
  #dropIfStuck(stream: Stream): void {
    if ((stream.sink?.buffered() ?? 0) <= MAX_BUFFERED) return;
    this.#streams.delete(stream);
    stream.sink?.end();
  }
}
