/** One server-sent event as a client reads it (comments kept apart, as `comment`). */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: any;
  comment?: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body of a refused request (JSON), when status is not 200. */
  refusal?: any;
  /** Every frame read so far, in order. */
  frames: SseFrame[];
  /** The first frame (from the `from`-th on) that `match` accepts; fails after `timeoutMs`. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number, from?: number): Promise<SseFrame>;
  /** Data events (no `event:` field) read so far. */
  events(): any[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A real HTTP client of `GET /api/v1/events` (fetch, reading the body as it comes), parsing the
 * text/event-stream format as a browser's EventSource does: fields up to a blank line.
 */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  let ended: Promise<void> = Promise.resolve();
  let refusal: unknown;
  if (res.status === 200 && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const frame = parseBlock(block);
            if (frame) frames.push(frame);
          }
          wake();
        }
      } catch {
        // Aborted by close().
      }
      wake();
    })();
  } else {
    const text = await res.text();
    refusal = text ? JSON.parse(text) : undefined;
  }
  const isEnded = { value: false };
  void ended.then(() => (isEnded.value = true));
  return {
    status: res.status,
    headers: res.headers,
    refusal,
    frames,
    ended,
    events: () => frames.filter((f) => f.event === undefined && f.data !== undefined),
    next(match, timeoutMs = 10_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.slice(from).find(match);
          if (found) {
            done();
            resolve(found);
          } else if (isEnded.value) {
            done();
            reject(new Error(`the stream ended; frames: ${JSON.stringify(frames)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no such frame in ${timeoutMs} ms; frames: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

function parseBlock(block: string): SseFrame | undefined {
  const frame: SseFrame = {};
  let data: string | undefined;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    const [, field, value] = /^(\w+): ?(.*)$/.exec(line) ?? [];
    if (field === 'id') frame.id = value;
    if (field === 'event') frame.event = value;
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
  }
  if (data !== undefined) frame.data = JSON.parse(data);
  return Object.keys(frame).length > 0 ? frame : undefined;
}
