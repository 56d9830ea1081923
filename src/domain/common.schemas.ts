import { z } from 'zod';
import { MAX_TAG_LENGTH, MAX_TAGS } from './attributes.js';

/** Shapes shared by every resource. Codes are checked by the services (forgiving input). */
export const CodeParams = z.object({ code: z.string().max(200) });

export const Tags = z.array(z.string().max(MAX_TAG_LENGTH)).max(MAX_TAGS);
/** Keys and values are checked by validateCustomFields (lengths named in its messages). */
export const CustomFields = z.record(z.string(), z.string());

export const Name = z.string().trim().min(1).max(200);
export const Text = z.string().max(10_000);

export const Quantity = z
  .union([z.number(), z.string().max(40)])
  .describe('a decimal number; fractions only for parts with a unit of measure');

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const Actor = z.object({ code: z.string().nullable(), name: z.string() });

export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

/** What a BOM entry misses for a build. */
export const Shortage = z.object({
  entryNo: z.number(),
  part: z.object({ code: z.string(), name: z.string(), unit: z.string() }),
  need: z.number(),
  available: z.number(),
  short: z.number(),
});
export type Shortage = z.infer<typeof Shortage>;

export const Candidate = z.object({ kind: z.string(), code: z.string(), name: z.string() });

/** What went wrong: the `error` of every error answer (src/http/error-handler.ts makes it). */
export const ErrorDetail = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  candidates: z
    .array(Candidate)
    .optional()
    .describe('an ambiguous code prefix: every object it matches'),
  shortages: z
    .array(Shortage)
    .optional()
    .describe('a build short of stock: what each entry misses'),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** Every error answer of the API: `{ error: { code, message, field? }, requestId }`. */
export const ErrorBody = z.object({
  error: ErrorDetail,
  requestId: z
    .string()
    .optional()
    .describe("the request's id, as in the x-request-id header and the server's log lines"),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The most units one build may make. */
export const MAX_BUILD_UNITS = 100_000;

/** Build serials from..to, inclusive: how a client names many units without listing them. */
const SerialRangeInput = z
  .strictObject({ from: z.number().int().min(1), to: z.number().int().min(1) })
  .refine((r) => r.from <= r.to, { message: 'from must not be above to', path: ['to'] });

/** Units of a build named by build serial, a range of serials or unit code. */
export const UnitRefs = z.array(
  z.union([z.number().int().min(1), SerialRangeInput, z.string().max(200)]),
);
