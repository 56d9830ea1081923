import type { Database } from '../../src/db/database.js';
import type { TestApi } from './api.js';

/** What the history_event table holds for one object, oldest first, data parsed. */
export async function historyRows(db: Database, subjectCode: string) {
  const rows = await db
    .selectFrom('history_event')
    .selectAll()
    .where('subject_code', '=', subjectCode)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    actorCode: r.actor_code,
    actorName: r.actor_name,
    at: r.created_at,
  }));
}

/** Rows per table: a cheap fingerprint to show that a refused request changed nothing. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const tables = [
    'part',
    'location',
    'lot',
    'stock_balance',
    'stock_entry',
    'history_event',
    'object_tag',
    'object_field',
    'app_user',
    'api_key',
    'user_session',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** Codes of the test API keys by role (their names are `test-<role>`). */
export async function apiKeyCodes(api: TestApi): Promise<Record<string, string>> {
  const res = await api.call('GET', '/api/v1/api-keys');
  if (res.status !== 200) throw new Error(`GET /api-keys answered ${res.status}`);
  const out: Record<string, string> = {};
  for (const key of res.body.items as { name: string; code: string }[]) {
    out[key.name.replace(/^test-/, '')] = key.code;
  }
  return out;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
