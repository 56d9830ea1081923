import { z } from 'zod';
import { Name } from '../domain/common.schemas.js';

export const PeerAdd = z.strictObject({
  name: Name.describe('what this site calls the other'),
  url: z
    .string()
    .max(2000)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) address')
    .describe("the other site's address, e.g. https://tracelot.plant-b.example"),
  key: z.string().min(1).max(200).describe('an API key of the site role made at the other site'),
});
export type PeerAdd = z.input<typeof PeerAdd>;

export const Peer = z.object({
  site: z.object({ id: z.string(), name: z.string() }),
  url: z.string(),
  addedAt: z.string(),
  lastSyncAt: z.string().nullable(),
  lastResult: z
    .object({
      ok: z.boolean(),
      sent: z.number().optional(),
      received: z.number().optional(),
      conflicts: z.number().optional(),
      error: z.string().optional(),
    })
    .nullable(),
});
export type Peer = z.infer<typeof Peer>;

export const SyncSince = z.strictObject({
  since: z
    .record(z.string().max(64), z.number().int().min(0))
    .refine((v) => Object.keys(v).length <= 10_000, 'at most 10,000 sites')
    .describe('what the caller holds: per site id, the number of its last record held'),
});

/** What applying a bundle did. */
export const ApplyResult = z.object({
  bundle: z.string(),
  from: z.object({ id: z.string(), name: z.string() }),
  records: z.object({ received: z.number(), applied: z.number() }),
  rows: z.object({ inserted: z.number(), updated: z.number(), kept: z.number() }),
  conflicts: z.number(),
  files: z.number(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

/** A sync with one site: what it applied of this site's bundle, and this site of its. */
export const PeerSync = z.object({
  site: z.object({ id: z.string(), name: z.string() }),
  sent: ApplyResult.optional(),
  received: ApplyResult.optional(),
  error: z.string().optional(),
});
export type PeerSync = z.infer<typeof PeerSync>;
