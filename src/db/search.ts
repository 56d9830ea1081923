import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { parseCodeOrPrefix, prefixUpperBound, type ParsedCode } from '../domain/code.js';

/** `%text%` for a case-insensitive LIKE, with the wildcards in `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(column) LIKE pattern` with the escape character both databases understand. */
export function lowerLike(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** Objects whose tag or custom field value contains the pattern. */
export function attributeMatch(codeColumn: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(codeColumn)} in (select object_code from object_tag where lower(tag) like ${pattern} escape '\\') or ${sql.ref(codeColumn)} in (select object_code from object_field where lower(value) like ${pattern} escape '\\'))`;
}

/** Objects that carry exactly this tag. */
export function taggedWith(codeColumn: string, tag: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(codeColumn)} in (select object_code from object_tag where tag = ${tag})`;
}

/**
 * Objects whose code is the search text or starts with it, when the text can be a code (so a
 * label scanned into a search box finds its object); no condition otherwise.
 */
export function codeMatch(codeColumn: string, text: string): Expression<SqlBool>[] {
  let parsed: ParsedCode;
  try {
    parsed = parseCodeOrPrefix(text);
  } catch {
    return [];
  }
  const [from, to] =
    parsed.type === 'code'
      ? [parsed.code, `${parsed.code}0`]
      : [parsed.prefix, prefixUpperBound(parsed.prefix)];
  return [sql<SqlBool>`(${sql.ref(codeColumn)} >= ${from} and ${sql.ref(codeColumn)} < ${to})`];
}

/** `lower(column) = lower(text)`: the same folding on both databases (see configureSqlite). */
export function lowerEquals(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) = ${text.toLowerCase()}`;
}

/** What a list of parts, locations, projects or lots is narrowed by (paging aside). */
export interface ListFilter {
  q?: string | undefined;
  tag?: string | undefined;
  /** Absent for tables without an `archived` flag. */
  archived?: 'true' | 'false' | 'any';
}

/** A list filter with its page. */
export interface PagedListFilter extends ListFilter {
  limit: number;
  offset: number;
}

/**
 * The one list filter: archived or not, carrying a tag, and a search text that matches one of
 * `searchColumns`, a tag or custom field value, or the code (so a scanned label finds its object).
 * The query's table must have `code` (and `archived` when the filter names it).
 */
export function filterList<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: ListFilter,
  searchColumns: string[],
): SelectQueryBuilder<DB, TB, O> {
  if (filter.archived !== undefined && filter.archived !== 'any')
    query = query.where(
      sql<SqlBool>`${sql.ref('archived')} = ${filter.archived === 'true' ? 1 : 0}`,
    );
  if (filter.tag) query = query.where(taggedWith('code', filter.tag));
  const q = filter.q;
  if (q) {
    const p = containsPattern(q);
    query = query.where((eb) =>
      eb.or([
        ...searchColumns.map((column) => lowerLike(column, p)),
        attributeMatch('code', p),
        ...codeMatch('code', q),
      ]),
    );
  }
  return query;
}
