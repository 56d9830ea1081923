import { z } from 'zod';
import { Paging } from '../domain/common.schemas.js';
import { TEST_RESULTS } from '../domain/test-value.js';
import { TestKey, TestTemplate } from './test-template.schemas.js';

/** The most rows one batch upload may carry. */
export const MAX_BATCH_ROWS = 20_000;
/** The most extra measured values one result may carry. */
export const MAX_EXTRA_VALUES = 50;

const Time = z.iso
  .datetime({ offset: true })
  .describe('ISO-8601 with time zone, e.g. 2026-11-26T09:30:00Z');
/** Lengths of a result's fields; the fast row check (batch-row.ts) applies the same. */
export const RESULT_LIMITS = {
  unit: 200,
  name: 200,
  valueText: 1000,
  short: 200,
  notes: 10_000,
  attachment: 200,
} as const;
const Short = z.string().trim().max(RESULT_LIMITS.short);

/** One result as a station sends it (the unit is in the URL when recording for one unit). */
export const TestResultFields = {
  key: TestKey.optional().describe("the part's test template key"),
  name: z
    .string()
    .trim()
    .min(1)
    .max(RESULT_LIMITS.name)
    .optional()
    .describe('a free-form test without a template (then result is required)'),
  result: z
    .enum(TEST_RESULTS)
    .optional()
    .describe('given, or computed from the template limits for a number test'),
  value: z
    .union([z.number(), z.string().max(RESULT_LIMITS.valueText), z.boolean()])
    .optional()
    .describe('the measured number, the text, or true/false for a pass/fail test'),
  values: z
    .record(z.string().max(64), z.union([z.number(), z.string().max(200)]))
    .optional()
    .describe(`further measured values by name (at most ${MAX_EXTRA_VALUES})`),
  station: Short.default(''),
  operator: Short.default(''),
  startedAt: Time.optional(),
  endedAt: Time.optional(),
  notes: z.string().max(RESULT_LIMITS.notes).default(''),
  attachment: z
    .string()
    .max(RESULT_LIMITS.attachment)
    .optional()
    .describe('code of an attachment (the file)'),
};
export const TestResultInput = z.strictObject(TestResultFields);
export type TestResultInput = z.input<typeof TestResultInput>;

export const BatchRow = z.strictObject({
  unit: z.string().max(RESULT_LIMITS.unit).describe('the unit (lot) code'),
  ...TestResultFields,
});
export type BatchRow = z.input<typeof BatchRow>;

export const BatchBody = z.strictObject({
  results: z.array(z.unknown()).max(MAX_BATCH_ROWS).describe('rows shaped like BatchRow'),
  partial: z.boolean().default(false).describe('store the good rows even when some are rejected'),
});

/** The upload as the API documents it; the service checks each row on its own (BatchBody). */
export const BatchUpload = z.object({
  results: z.array(BatchRow).max(MAX_BATCH_ROWS),
  partial: z.boolean().default(false).describe('store the good rows even when some are rejected'),
});

export const BatchQuery = z.object({
  partial: z
    .enum(['true', 'false'])
    .optional()
    .describe('CSV uploads: store the good rows even when some are rejected'),
});

export const BatchRowReport = z.object({
  row: z.number().int().describe('1-based: the JSON item, or the CSV line'),
  status: z.enum(['stored', 'rejected', 'valid']),
  result: z.enum(TEST_RESULTS).optional(),
  error: z.object({ field: z.string(), message: z.string() }).optional(),
});
export type BatchRowReport = z.infer<typeof BatchRowReport>;

export const BatchReport = z.object({
  stored: z.number().int(),
  rejected: z.number().int(),
  rows: z
    .array(BatchRowReport)
    .describe('every row; "valid": a good row not stored because others were rejected'),
});
export type BatchReport = z.infer<typeof BatchReport>;

export const TestResult = z.object({
  id: z.number().int(),
  unit: z.string(),
  template: z.string().nullable(),
  key: z.string(),
  name: z.string(),
  result: z.enum(TEST_RESULTS),
  valueNumber: z.string().nullable().describe('canonical decimal text'),
  valueText: z.string().nullable(),
  values: z.record(z.string(), z.union([z.number(), z.string()])),
  station: z.string(),
  operator: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  testedAt: z.string(),
  notes: z.string(),
  attachment: z.string().nullable(),
  recordedBy: z.object({ code: z.string().nullable(), name: z.string() }),
  recordedAt: z.string(),
  voided: z
    .object({
      at: z.string(),
      by: z.object({ code: z.string().nullable(), name: z.string() }),
      reason: z.string(),
    })
    .nullable()
    .describe('set when the result was voided: it stays listed, and counts for no status'),
});
export type TestResult = z.infer<typeof TestResult>;

/** A result's id in a path: the integer the result was recorded with. */
export const ResultParams = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export const VoidRequest = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe('why the result does not count (e.g. recorded on the wrong unit)'),
});
export type VoidRequest = z.input<typeof VoidRequest>;

export const TEST_STATUSES = ['pass', 'fail', 'missing'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/** A unit's tests at a glance, as lists of units show them (`unitTestStatuses`). */
export const UnitTestsAtAGlance = z
  .enum(TEST_STATUSES)
  .nullable()
  .describe(
    'pass: every required test passed; fail: a test failed last; missing: a required test has no pass yet; null: the part has no tests',
  );

export const UnitTestStatus = z.object({
  template: TestTemplate,
  status: z.enum(TEST_STATUSES),
  latest: TestResult.nullable(),
});

export const UnitTestsQuery = Paging;
export const UnitTests = z.object({
  unit: z.object({ code: z.string(), shortCode: z.string(), part: z.string() }),
  tests: z.array(UnitTestStatus).describe("status per enabled template of the unit's part"),
  passed: z.boolean().describe('every required test passed'),
  results: z.object({
    items: z.array(TestResult).describe('newest first'),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  }),
});
export type UnitTests = z.infer<typeof UnitTests>;

export const BuildTestSummary = z.object({
  build: z.string(),
  units: z.number().int().describe('units counted (scrapped units are left out)'),
  tests: z.array(
    z.object({
      template: TestTemplate,
      pass: z.number().int(),
      fail: z.number().int(),
      missing: z.number().int(),
    }),
  ),
});
export type BuildTestSummary = z.infer<typeof BuildTestSummary>;
