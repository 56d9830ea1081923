import { sql, type Expression, type SqlBool } from 'kysely';

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
