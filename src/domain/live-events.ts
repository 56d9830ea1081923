// Kept free of node:crypto (webhook-events.ts needs it): the web app imports this file too.
import { ValidationError } from './errors.js';
import type { Role } from './roles.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.js';

/**
 * Live updates (docs/live-updates.md): the webhook events of this site's change records, sent
 * as server-sent events. Small on purpose — what happened, to which objects, when and by whom —
 * so that a page refetches what it shows rather than patching it from the event.
 */
export interface LiveEvent {
  /** `<site>.<seq>.<n>`: the n-th event of this site's record number seq (see parseEventId). */
  id: string;
  type: WebhookEventType;
  /** The objects the event is about (units, a build, a recalled lot, received lots). */
  subjects: string[];
  /** The builds those subjects are or belong to, so a build page hears of its units' tests. */
  builds: string[];
  at: string;
  actor: { code: string | null; name: string };
  /** The change record (`GET /api/v1/audit/changes/<record>` for admins). */
  record: string;
}

/**
 * Where a stream stands: every event of the site's records before `seq` was sent, and of record
 * `seq` those numbered up to `index` (`Infinity`: all of them).
 */
export interface StreamPosition {
  site: string;
  seq: number;
  index: number;
}

const EVENT_ID = /^([0-9a-hjkmnp-tv-z]{26})\.(\d{1,15})(?:\.(\d{1,4}))?$/;

/** The id of a position: `<site>.<seq>` after a whole record, `<site>.<seq>.<n>` after its n-th event. */
export function formatEventId(p: StreamPosition): string {
  return p.index === Infinity ? `${p.site}.${p.seq}` : `${p.site}.${p.seq}.${p.index}`;
}

/**
 * Reads a `Last-Event-ID` (or `?since=`) back into a position; a ValidationError naming `field`
 * when it is not one this server gives. Example: `0f9e8d7c6b5a4z3y2x1w0v9u8t.1204.0`.
 */
export function parseEventId(text: string, field: string): StreamPosition {
  const match = EVENT_ID.exec(text.trim());
  if (!match)
    throw new ValidationError(
      field,
      'must be an event id this server sent: <site>.<record number>[.<event number>]',
    );
  // At most 15 digits: always a safe integer.
  return {
    site: match[1]!,
    seq: Number(match[2]),
    index: match[3] === undefined ? Infinity : Number(match[3]),
  };
}

/** Whether the event at (seq, index) comes after `p` (same site). */
export function isAfter(seq: number, index: number, p: StreamPosition): boolean {
  return seq > p.seq || (seq === p.seq && index > p.index);
}

/**
 * The object kinds each role may read, and so hear of. People (admin, editor, viewer) read every
 * unit, build, test result, recall and stock; another site's key may only sync, reads nothing and
 * hears nothing (its requests are refused before a stream opens; the filter holds all the same).
 */
export const KIND_OF: Record<WebhookEventType, 'unit' | 'build' | 'test' | 'recall' | 'stock'> = {
  'unit.shipped': 'unit',
  'unit.returned': 'unit',
  'unit.scrapped': 'unit',
  'build.started': 'build',
  'stage.completed': 'build',
  'build.finished': 'build',
  'build.cancelled': 'build',
  'test.recorded': 'test',
  'test.failed': 'test',
  'recall.held': 'recall',
  'recall.released': 'recall',
  'stock.received': 'stock',
};
const ALL_KINDS = ['unit', 'build', 'test', 'recall', 'stock'] as const;
const READABLE: Record<Role, readonly string[]> = {
  admin: ALL_KINDS,
  editor: ALL_KINDS,
  viewer: ALL_KINDS,
  site: [],
};

/** The event types a role may hear of. */
export function readableEventTypes(role: Role): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((t) => READABLE[role].includes(KIND_OF[t]));
}

/**
 * A `?types=` list (comma-separated webhook event types) read into its types; a ValidationError
 * naming `types` for an unknown one. Example: `build.finished,stage.completed`.
 */
export function parseEventTypes(text: string): WebhookEventType[] {
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  const types = [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = types.find((t) => !known.has(t));
  if (unknown !== undefined)
    throw new ValidationError(
      'types',
      `unknown event type "${unknown}": expected ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    );
  if (types.length === 0) throw new ValidationError('types', 'names no event type');
  return types as WebhookEventType[];
}

/** One server-sent event: its lines and the blank line that ends it (data is one JSON line). */
export function sseFrame(frame: { id?: string; event?: string; data: unknown }): string {
  return (
    (frame.id === undefined ? '' : `id: ${frame.id}\n`) +
    (frame.event === undefined ? '' : `event: ${frame.event}\n`) +
    `data: ${JSON.stringify(frame.data)}\n\n`
  );
}
