import { z } from 'zod';
import { Text } from '../domain/common.schemas.js';
import { TEST_VALUE_TYPES } from '../domain/test-value.js';

/** The most test templates one part may have. */
export const MAX_TEMPLATES_PER_PART = 200;

/** The characters of a test key, after trimming and lower-casing. */
export const TEST_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;
export const MAX_TEST_KEY_LENGTH = 64;

/** Stations upload by key: short, lower case, no spaces (`vcc_3v3`, `ict.short`). */
export const TestKey = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(MAX_TEST_KEY_LENGTH)
  .regex(TEST_KEY_PATTERN, 'must be letters, digits, _ . or - (no spaces)');

const Limit = z
  .union([z.number(), z.string().max(40)])
  .nullable()
  .describe('a decimal number (exact: kept as written); null: no limit');

export const TestTemplateCreate = z.strictObject({
  key: TestKey.describe('stable key stations upload by; unique within the part, never changes'),
  name: z.string().trim().min(1).max(200),
  description: Text.default(''),
  required: z.boolean().default(true),
  valueType: z.enum(TEST_VALUE_TYPES).default('pass_fail'),
  unit: z.string().trim().max(20).default('').describe('unit of a number test, e.g. V, mA'),
  min: Limit.default(null),
  max: Limit.default(null),
  requiresAttachment: z.boolean().default(false),
  enabled: z.boolean().default(true),
});
export type TestTemplateCreate = z.input<typeof TestTemplateCreate>;

export const TestTemplateUpdate = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: Text.optional(),
  required: z.boolean().optional(),
  valueType: z.enum(TEST_VALUE_TYPES).optional(),
  unit: z.string().trim().max(20).optional(),
  min: Limit.optional(),
  max: Limit.optional(),
  requiresAttachment: z.boolean().optional(),
  enabled: z.boolean().optional(),
  position: z.number().int().min(1).max(MAX_TEMPLATES_PER_PART).optional(),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('why the type changes: required with a new valueType (a correction)'),
});
export type TestTemplateUpdate = z.input<typeof TestTemplateUpdate>;

export const TestTemplate = z.object({
  code: z.string(),
  shortCode: z.string(),
  part: z.string().describe('part code'),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  required: z.boolean(),
  valueType: z.enum(TEST_VALUE_TYPES),
  unit: z.string(),
  min: z.string().nullable().describe('canonical decimal text'),
  max: z.string().nullable(),
  requiresAttachment: z.boolean(),
  enabled: z.boolean(),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TestTemplate = z.infer<typeof TestTemplate>;

export const TestTemplateQuery = z.object({
  disabled: z.enum(['true', 'false']).default('false').describe('true: disabled templates too'),
});
export type TestTemplateQuery = z.input<typeof TestTemplateQuery>;

export const TestTemplateListItem = TestTemplate.extend({
  results: z
    .number()
    .int()
    .describe('results recorded against it, voided ones too: its type may change only at 0'),
});
export type TestTemplateListItem = z.infer<typeof TestTemplateListItem>;

export const TestTemplateList = z.object({ items: z.array(TestTemplateListItem) });
