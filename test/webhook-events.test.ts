import { describe, expect, it } from 'vitest';
import {
  retryDelay,
  signatureHeader,
  verifySignature,
  webhookEventsOf,
  type RecordForWebhooks,
} from '../src/domain/webhook-events.js';
import { verifyTracelotSignature } from './support/webhook-receiver.js';

const record = (over: Partial<RecordForWebhooks>): RecordForWebhooks => ({
  id: 'r1',
  site: 's1',
  at: '2026-12-06T05:00:00.000Z',
  actor: { code: null, name: 'ann' },
  operation: 'test_recorded',
  events: [],
  ledger: [],
  ...over,
});

describe('webhook events of a change record', () => {
  it('makes test.failed only of uploads with failed results, and test.recorded of all', () => {
    const events = webhookEventsOf(
      record({
        events: [
          { subject: 'u1', type: 'test_recorded', data: { results: 2, failed: 1 } },
          { subject: 'u2', type: 'test_recorded', data: { results: 2, failed: 0 } },
        ],
      }),
    );
    expect(events.map((e) => [e.type, e.subjects])).toEqual([
      ['test.recorded', ['u1', 'u2']],
      ['test.failed', ['u1']],
    ]);
  });

  it('makes stock.received of receipt ledger lines, quantities in the part’s unit', () => {
    const [event] = webhookEventsOf(
      record({
        operation: 'received',
        ledger: [
          ['op', 'received', 'lot1', 'p1', 'l1', 'on_hand', 2_500_000, null, ''],
          ['op', 'moved', 'lot2', 'p1', 'l1', 'on_hand', 1_000_000, null, ''],
        ],
      }),
    );
    expect(event).toEqual({
      type: 'stock.received',
      subjects: ['lot1'],
      data: [
        { lot: 'lot1', part: 'p1', location: 'l1', status: 'on_hand', quantity: 2.5, ref: null },
      ],
    });
  });

  it('gives nothing for a change no event type is about', () => {
    expect(
      webhookEventsOf(record({ events: [{ subject: 'p', type: 'created', data: {} }] })),
    ).toEqual([]);
  });
});

describe('delivery signatures and retries', () => {
  it('signs the timestamp and the body; the documented check verifies it, a changed body fails', () => {
    const t = Math.floor(Date.now() / 1000);
    const header = signatureHeader('whsec_test', t, '{"a":1}');
    expect(header).toMatch(new RegExp(`^t=${t},v1=[0-9a-f]{64}$`));
    expect(verifySignature('whsec_test', header, '{"a":1}')).toBe(true);
    expect(verifyTracelotSignature('whsec_test', header, '{"a":1}')).toBe(true);
    expect(verifyTracelotSignature('whsec_test', header, '{"a":2}')).toBe(false);
    const old = signatureHeader('whsec_test', t - 3600, '{"a":1}');
    expect(verifyTracelotSignature('whsec_test', old, '{"a":1}')).toBe(false);
  });

  it('doubles the delay from the base up to the cap, jittered down by at most a quarter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 8, 20].map((n) => retryDelay(n, 30_000, 3_600_000, none))).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000,
    ]);
    expect(retryDelay(1, 30_000, 3_600_000, () => 0.999)).toBeGreaterThan(22_500);
  });
});
