import type { SignatureMeaning } from '../domain/signature.js';
import type { HistoryEvent } from './history.repository.js';

/**
 * The signatures among an object's history events, by the change record they sign: a
 * signature is a record of its own (src/db/change-log.ts) whose `signed` event names the
 * signed record, and the signer is that record's actor.
 */
export function signaturesByRecord(events: readonly HistoryEvent[]) {
  return new Map(
    events
      .filter((e) => e.type === 'signed')
      .map((e) => [
        String(e.data.record),
        {
          signer: e.actor.name,
          meaning: e.data.meaning as SignatureMeaning,
          at: e.at,
          record: String(e.data.record),
        },
      ]),
  );
}
