import type BetterSqlite3 from 'better-sqlite3';

/**
 * The floor of a resolve: the same lookup done the barest way, a better-sqlite3 prepared
 * statement on the lot table's primary key (joined to its part, for the name the resolver
 * answers with when a lot has none). A prefix is the index range [prefix, prefix + '~'):
 * '~' sorts after every code character.
 */
export interface FloorLookup {
  byCode(code: string): unknown;
  byPrefix(prefix: string): unknown[];
}

const SELECT = `select lot.code, case when lot.name = '' then part.name else lot.name end as name
  from lot join part on part.code = lot.part_code`;

export function floorLookup(db: BetterSqlite3.Database): FloorLookup {
  const byCode = db.prepare(`${SELECT} where lot.code = ?`);
  const byPrefix = db.prepare(`${SELECT} where lot.code >= ? and lot.code < ? limit 2`);
  return {
    byCode: (code) => byCode.get(code),
    byPrefix: (prefix) => byPrefix.all(prefix, `${prefix}~`),
  };
}
