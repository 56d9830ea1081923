import { ValidationError } from './errors.js';

/** Tags and custom fields: the same rules for every object that carries them. */
export const MAX_TAG_LENGTH = 64;
export const MAX_TAGS = 50;
export const MAX_FIELD_KEY_LENGTH = 256;
export const MAX_FIELD_VALUE_LENGTH = 1024;
export const MAX_FIELDS = 100;

export type CustomFields = Record<string, string>;

/** Trims, drops duplicates, rejects empty or over-long tags. */
export function normalizeTags(tags: readonly string[], field = 'tags'): string[] {
  if (tags.length > MAX_TAGS) throw new ValidationError(field, `at most ${MAX_TAGS} tags`);
  const out = new Set<string>();
  tags.forEach((raw, i) => {
    const tag = raw.trim();
    if (!tag) throw new ValidationError(`${field}.${i}`, 'must not be empty');
    if (tag.length > MAX_TAG_LENGTH) {
      throw new ValidationError(`${field}.${i}`, `is longer than ${MAX_TAG_LENGTH} characters`);
    }
    out.add(tag);
  });
  return [...out];
}

export function validateCustomFields(fields: CustomFields, field = 'customFields'): CustomFields {
  const entries = Object.entries(fields);
  if (entries.length > MAX_FIELDS) throw new ValidationError(field, `at most ${MAX_FIELDS} fields`);
  // A Map, then fromEntries: keys such as __proto__ or constructor are plain keys here.
  const out = new Map<string, string>();
  for (const [rawKey, value] of entries) {
    const key = rawKey.trim();
    if (!key) throw new ValidationError(field, 'a field name must not be empty');
    if (out.has(key)) {
      throw new ValidationError(`${field}.${key}`, 'is given twice (names are trimmed)');
    }
    if (key.length > MAX_FIELD_KEY_LENGTH) {
      throw new ValidationError(
        `${field}.${key.slice(0, 32)}…`,
        `field name is longer than ${MAX_FIELD_KEY_LENGTH} characters`,
      );
    }
    if (typeof value !== 'string') throw new ValidationError(`${field}.${key}`, 'must be text');
    if (value.length > MAX_FIELD_VALUE_LENGTH) {
      throw new ValidationError(
        `${field}.${key}`,
        `value is longer than ${MAX_FIELD_VALUE_LENGTH} characters`,
      );
    }
    out.set(key, value);
  }
  return Object.fromEntries(out);
}
