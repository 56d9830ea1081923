import { sql, type Kysely } from 'kysely';
import {
  CHANGE_RECORD_VERSION,
  GENESIS_PREVIOUS,
  canonicalJson,
  nextHlc,
  recordHash,
  type BalanceLine,
  type ChangeRecord,
} from '../../domain/change-record.js';
import { newCode } from '../../domain/code.js';
import type { UnitState } from '../../domain/unit-state.js';
import { codeType } from './helpers.js';

// The change log (DESIGN.md "Change log", src/db/change-log.ts): this instance becomes a site
// with a random id, and its chain starts with a genesis record holding the stock and unit states
// found here, so that `audit verify` can replay the log from a known start. History events
// written before the log stay in history_event, which nothing writes any more.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema
    .createTable('site')
    .addColumn('id', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // 1 for this instance's own site (exactly one row); 0 for sites whose records came by sync.
    .addColumn('local', 'integer', (c) => c.notNull())
    .addColumn('head_seq', 'bigint', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('head_hlc', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('change_record')
    .addColumn('id', code, (c) => c.primaryKey())
    .addColumn('site_id', code, (c) => c.notNull().references('site.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    // The record's canonical serialization (src/domain/change-record.ts): what the hash covers.
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('change_record_site_seq')
    .unique()
    .on('change_record')
    .columns(['site_id', 'seq'])
    .execute();
  await db.schema.createIndex('change_record_hlc').on('change_record').column('hlc').execute();
  await db.schema.createIndex('change_record_at').on('change_record').column('at').execute();
  await db.schema
    .createIndex('change_record_actor')
    .on('change_record')
    .columns(['actor_code', 'at'])
    .execute();
  await db.schema
    .createIndex('change_record_operation')
    .on('change_record')
    .columns(['operation', 'at'])
    .execute();

  // Which records touched an object: the history of any object, read from the log.
  await db.schema
    .createTable('change_object')
    .addColumn('object_code', code, (c) => c.notNull())
    .addColumn('change_id', code, (c) => c.notNull().references('change_record.id'))
    .addPrimaryKeyConstraint('change_object_pk', ['object_code', 'change_id'])
    .execute();

  // A record lists the ledger entries of its operations: verify reads them by operation.
  await db.schema
    .createIndex('stock_entry_operation')
    .on('stock_entry')
    .column('operation')
    .execute();

  await writeGenesis(db);
}

async function writeGenesis(db: Kysely<unknown>): Promise<void> {
  const balances = await sql<{
    lot_code: string;
    location_code: string;
    status: BalanceLine[2];
    quantity: number | string;
  }>`select lot_code, location_code, status, quantity from stock_balance
     where quantity <> 0 order by lot_code, location_code, status`.execute(db);
  const states = await sql<{ code: string; unit_state: UnitState }>`
    select code, unit_state from lot where unit_state is not null order by code`.execute(db);
  const last = await sql<{ id: number | string | null }>`
    select max(id) as id from stock_entry`.execute(db);
  const at = new Date().toISOString();
  const site = newCode();
  const hlc = nextHlc(null, Date.parse(at));
  const record: ChangeRecord = {
    v: CHANGE_RECORD_VERSION,
    id: newCode(),
    site,
    seq: 1,
    hlc,
    at,
    actor: { code: null, name: 'system' },
    operation: 'genesis',
    objects: [],
    events: [],
    ledger: [],
    states: [],
    baseline: {
      balances: balances.rows.map((b) => [
        b.lot_code,
        b.location_code,
        b.status,
        Number(b.quantity),
      ]),
      states: states.rows.map((s) => [s.code, s.unit_state]),
      entriesBefore: Number(last.rows[0]?.id ?? 0),
    },
  };
  const content = canonicalJson(record);
  const hash = recordHash(GENESIS_PREVIOUS, content);
  await sql`insert into site (id, name, local, head_seq, head_hash, head_hlc)
            values (${site}, ${'local'}, 1, 1, ${hash}, ${hlc})`.execute(db);
  await sql`insert into change_record
              (id, site_id, seq, hlc, at, actor_code, actor_name, operation, content, prev_hash, hash)
            values (${record.id}, ${site}, 1, ${hlc}, ${at}, null, 'system', 'genesis',
                    ${content}, ${GENESIS_PREVIOUS}, ${hash})`.execute(db);
}
