import { z } from 'zod';
import { PART_KINDS } from '../domain/part-kind.js';
import { MAX_RECEIVE_ROWS } from '../domain/receive-csv.js';
import { UNITS } from '../domain/quantity.js';

/** The most keys one lookup takes (a batch receipt's rows). */
export const MAX_LOOKUP_ITEMS = MAX_RECEIVE_ROWS;

export const PartLookupRequest = z.strictObject({
  items: z
    .array(
      z.strictObject({
        supplier: z.string().trim().max(100).optional(),
        sku: z.string().trim().max(100).optional().describe("the distributor's part number"),
        mpn: z.string().trim().max(200).optional(),
      }),
    )
    .min(1)
    .max(MAX_LOOKUP_ITEMS),
});
export type PartLookupRequest = z.input<typeof PartLookupRequest>;

const FoundPart = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  mpn: z.string(),
  unit: z.enum(UNITS),
  kind: z.enum(PART_KINDS),
});

export const PartLookupResult = z.object({
  items: z.array(
    z.object({
      part: FoundPart.nullable().describe('the one part the key names'),
      matchedBy: z.enum(['sku', 'mpn']).nullable(),
      candidates: z.array(FoundPart).describe('several parts match: never a guess'),
    }),
  ),
});
export type PartLookupResult = z.infer<typeof PartLookupResult>;
