import { z } from 'zod';
import { Actor, Paging, page } from '../domain/common.schemas.js';

const DateText = z.string().max(40).describe('a date (YYYY-MM-DD, midnight UTC) or an ISO time');

export const AuditQuery = Paging.extend({
  actor: z.string().max(200).optional().describe("a user's or key's code or name"),
  object: z.string().max(200).optional().describe('the code of an object the record touched'),
  operation: z.string().max(100).optional(),
  from: DateText.optional().describe('records at or after this time'),
  to: DateText.optional().describe('records before this time'),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditExportRange = z.object({
  from: DateText.optional(),
  to: DateText.optional(),
});
export type AuditExportRange = z.infer<typeof AuditExportRange>;

export const VerifyQuery = z.object({ from: DateText.optional() });

export const ChangeSummary = z.object({
  id: z.string(),
  site: z.string(),
  seq: z.number().int(),
  hlc: z.string(),
  at: z.string(),
  actor: Actor,
  operation: z.string(),
  objects: z.number().int().describe('how many objects the record touched'),
  hash: z.string(),
});
export const ChangePage = page(ChangeSummary);

const Tuple = z.array(z.union([z.string(), z.number(), z.null()]));

export const ChangeDetail = z.object({
  v: z.number(),
  id: z.string(),
  site: z.string(),
  seq: z.number().int(),
  hlc: z.string(),
  at: z.string(),
  actor: Actor,
  operation: z.string(),
  objects: z.array(z.string()),
  events: z.array(
    z.object({
      subject: z.string(),
      type: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  ledger: z
    .array(Tuple)
    .describe('ledger entries: operation, type, lot, part, location, status, quantity, ref, note'),
  states: z.array(Tuple).describe('units and the state the change left them in'),
  baseline: z.unknown().optional().describe("the genesis record's starting state"),
  signs: z
    .object({ record: z.string(), hash: z.string(), meaning: z.string() })
    .optional()
    .describe('a signature record: the record it signs and the hash it is bound to'),
  signatures: z
    .array(z.object({ id: z.string(), at: z.string(), signer: Actor, meaning: z.string() }))
    .describe('the electronic signatures of this record, bound to its hash'),
  hash: z.string(),
  prev: z.string(),
});
export type ChangeDetail = z.infer<typeof ChangeDetail>;

const ChainHead = z
  .object({ site: z.string(), seq: z.number().int(), hash: z.string(), hlc: z.string() })
  .nullable();

const Problem = z.object({
  site: z.string().nullable(),
  seq: z.number().int().nullable(),
  record: z.string().nullable(),
  problem: z.string(),
});

export const VerifyReport = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  sites: z.number().int(),
  from: z.string().nullable(),
  stateChecked: z
    .boolean()
    .describe('whether balances, ledger entries and unit states were replayed (not with from)'),
  head: ChainHead,
  firstBroken: Problem.nullable(),
  problems: z.array(Problem),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
