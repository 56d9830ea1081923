import { describe, expect, it } from 'vitest';
import { liveEventsOf } from '../src/domain/live-events-of.js';
import {
  formatEventId,
  isAfter,
  parseEventId,
  parseEventTypes,
  readableEventTypes,
  sseFrame,
} from '../src/domain/live-events.js';

const SITE = '0f9e8d7c6b5a4z3y2x1w0v9r8t';

describe('live events (pure)', () => {
  it('reads back the ids it writes, after a whole record or one of its events', () => {
    expect(parseEventId(`${SITE}.1204.3`, 'Last-Event-ID')).toEqual({
      site: SITE,
      seq: 1204,
      index: 3,
    });
    expect(parseEventId(` ${SITE}.7 `, 'since')).toEqual({ site: SITE, seq: 7, index: Infinity });
    for (const p of [
      { site: SITE, seq: 1, index: 0 },
      { site: SITE, seq: 99, index: Infinity },
    ])
      expect(parseEventId(formatEventId(p), 'x')).toEqual(p);
    for (const bad of [
      '',
      '12',
      `${SITE}`,
      `${SITE}.`,
      `${SITE}.-1`,
      `${SITE}.1.2.3`,
      `${SITE.toUpperCase()}.1`,
    ])
      expect(() => parseEventId(bad, 'Last-Event-ID'), bad).toThrow(/must be an event id/);
    // 16 digits could pass 2^53: refused by length.
    expect(() => parseEventId(`${SITE}.9999999999999999`, 'since')).toThrow(/must be an event id/);
  });

  it('orders positions by record, then by event', () => {
    const p = { site: SITE, seq: 5, index: 1 };
    expect([isAfter(5, 1, p), isAfter(5, 2, p), isAfter(4, 9, p), isAfter(6, 0, p)]).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(isAfter(5, 0, { ...p, index: Infinity })).toBe(false);
  });

  it('reads a types list and names an unknown type', () => {
    expect(parseEventTypes(' build.finished, test.failed,build.finished')).toEqual([
      'build.finished',
      'test.failed',
    ]);
    expect(() => parseEventTypes('build.finished,unit.exploded')).toThrow(
      /unknown event type "unit.exploded"/,
    );
    expect(() => parseEventTypes(' , ')).toThrow('names no event type');
  });

  it('lets people read every type and another site’s key none', () => {
    expect(readableEventTypes('viewer')).toContain('recall.held');
    expect(readableEventTypes('viewer')).toEqual(readableEventTypes('admin'));
    expect(readableEventTypes('site')).toEqual([]);
  });

  it('numbers a record’s events and names the builds of their units', () => {
    const events = liveEventsOf(
      {
        id: 'rec',
        site: SITE,
        seq: 12,
        at: '2026-12-06T09:00:00.000Z',
        actor: { code: null, name: 'key:ICT' },
        operation: 'test_recorded',
        events: [
          { subject: 'u1', type: 'test_recorded', data: { failed: 1 } },
          { subject: 'u2', type: 'test_recorded', data: { failed: 0 } },
        ],
        ledger: [],
      },
      (code) => ({ u1: 'b1', u2: 'b2' })[code],
    );
    expect(events).toEqual([
      expect.objectContaining({
        index: 0,
        id: `${SITE}.12.0`,
        type: 'test.recorded',
        subjects: ['u1', 'u2'],
        builds: ['b1', 'b2'],
      }),
      expect.objectContaining({
        index: 1,
        id: `${SITE}.12.1`,
        type: 'test.failed',
        subjects: ['u1'],
        builds: ['b1'],
      }),
    ]);
    expect(sseFrame({ id: events[1]!.id, data: { a: 1 } })).toBe(
      `id: ${SITE}.12.1\ndata: {"a":1}\n\n`,
    );
    expect(sseFrame({ event: 'reset', data: {} })).toBe('event: reset\ndata: {}\n\n');
  });
});
