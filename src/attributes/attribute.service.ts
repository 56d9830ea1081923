import type { Database } from '../db/database.js';
import { normalizeTags, validateCustomFields, type CustomFields } from '../domain/attributes.js';
import type { Changes } from '../domain/changes.js';
import {
  insertFields,
  insertTags,
  loadAttributes,
  replaceFields,
  replaceTags,
} from './attribute.repository.js';

export interface AttributeInput {
  tags?: string[] | undefined;
  customFields?: CustomFields | undefined;
}

/** Validated tags and custom fields, ready to store; errors name `prefix.tags…`. */
export function validateAttributes(
  input: AttributeInput,
  prefix = '',
): { tags?: string[]; customFields?: CustomFields } {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  return {
    ...(input.tags ? { tags: normalizeTags(input.tags, at('tags')) } : {}),
    ...(input.customFields
      ? { customFields: validateCustomFields(input.customFields, at('customFields')) }
      : {}),
  };
}

/** Stores the attributes of new objects (validated with validateAttributes). */
export async function addAttributes(
  db: Database,
  objects: { code: string; tags?: string[] | undefined; customFields?: CustomFields | undefined }[],
): Promise<void> {
  await insertTags(
    db,
    objects.flatMap((o) => (o.tags ?? []).map((tag) => ({ object_code: o.code, tag }))),
  );
  await insertFields(
    db,
    objects.flatMap((o) =>
      Object.entries(o.customFields ?? {}).map(([key, value]) => ({
        object_code: o.code,
        key,
        value,
      })),
    ),
  );
}

/** Replaces the tags and/or custom fields given, returning what changed for the history. */
export async function changeAttributes(
  db: Database,
  code: string,
  input: { tags?: string[]; customFields?: CustomFields },
): Promise<Changes> {
  if (!input.tags && !input.customFields) return {};
  const before = (await loadAttributes(db, [code])).get(code)!;
  const changes: Changes = {};
  if (input.tags && !sameJson([...input.tags].sort(), [...before.tags].sort())) {
    changes.tags = { from: before.tags, to: input.tags };
    await replaceTags(db, code, input.tags);
  }
  if (
    input.customFields &&
    !sameJson(sortKeys(input.customFields), sortKeys(before.customFields))
  ) {
    changes.customFields = { from: before.customFields, to: input.customFields };
    await replaceFields(db, code, input.customFields);
  }
  return changes;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortKeys(fields: CustomFields): CustomFields {
  return Object.fromEntries(
    Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
