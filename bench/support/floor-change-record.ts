/**
 * The change record a floor writes for each of its transactions, as src/db/change-log.ts writes
 * the service's: one change_record row holding the record's canonical JSON (its events, ledger
 * lines and unit states — the same content, so of the same size) and its chained hash, one
 * change_object row per object, and the site's new chain head. So a floor compares like with
 * like: the service's ratio no longer includes the change log's writes, only its own overhead.
 */
import { RECORD_COLUMNS } from '../../src/audit/audit.repository.js';
import type { Database } from '../../src/db/database.js';
import { readHead } from '../../src/db/site.repository.js';
import {
  CHANGE_RECORD_VERSION,
  nextHlc,
  storedRecordOf,
  type ChangeRecord,
} from '../../src/domain/change-record.js';
import { newCode } from '../../src/domain/code.js';
import type { FloorWriter } from './floor-writer.js';
import { benchActor } from './dataset.js';

/** This site's chain head; read before the clock starts, then kept by the floor as it writes. */
export interface FloorHead {
  id: string;
  seq: number;
  hash: string;
  hlc: string;
}

export async function readFloorHead(db: Database): Promise<FloorHead> {
  const row = await readHead(db);
  return { id: row.id, seq: Number(row.head_seq), hash: row.head_hash, hlc: row.head_hlc };
}

/** Appends the record of one transaction after `head` (which moves on to it). */
export async function floorChangeRecord(
  w: FloorWriter,
  head: FloorHead,
  body: Pick<ChangeRecord, 'at' | 'operation' | 'events'> &
    Partial<Pick<ChangeRecord, 'ledger' | 'states'>>,
): Promise<void> {
  const ledger = body.ledger ?? [];
  // One state per unit, in code order, as the service's writer keeps them.
  const states = [...new Map(body.states ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const objects = new Set(body.events.map((e) => e.subject));
  for (const line of ledger) objects.add(line[2]);
  for (const [code] of states) objects.add(code);
  const record: ChangeRecord = {
    v: CHANGE_RECORD_VERSION,
    id: newCode(),
    site: head.id,
    seq: head.seq + 1,
    hlc: nextHlc(head.hlc, Date.parse(body.at)),
    at: body.at,
    actor: { code: benchActor.code, name: benchActor.name },
    operation: body.operation,
    objects: [...objects].sort(),
    events: body.events,
    ledger,
    states,
  };
  const row = storedRecordOf(record, head.hash);
  await w.insert('change_record', RECORD_COLUMNS, [RECORD_COLUMNS.map((c) => row[c])]);
  await w.insert(
    'change_object',
    ['object_code', 'change_id'],
    record.objects.map((code) => [code, record.id]),
  );
  await w.run('update site set head_seq = ?, head_hash = ?, head_hlc = ? where id = ?', [
    record.seq,
    row.hash,
    record.hlc,
    head.id,
  ]);
  Object.assign(head, { seq: record.seq, hash: row.hash, hlc: record.hlc });
}

/**
 * What the last record of a database holds, to compare the floor's with the service's: its
 * operation, its objects and its content's length (codes, times and stamps are of fixed length).
 */
export async function lastRecordShape(db: Database): Promise<string> {
  const last = await db
    .selectFrom('change_record')
    .select(['id', 'operation', 'content'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const objects = await db
    .selectFrom('change_object')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('change_id', '=', last.id)
    .executeTakeFirstOrThrow();
  return `${last.operation} of ${Number(objects.n)} objects in ${last.content.length} characters`;
}
