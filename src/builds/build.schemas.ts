import { z } from 'zod';
import { UnitTestsAtAGlance } from '../test-results/test-result.schemas.js';
import { SIGNATURE_MEANINGS } from '../domain/signature.js';
import { SignatureInput } from '../signatures/signature.schemas.js';
import { BomApproval } from '../projects/project.schemas.js';
import {
  MAX_BUILD_UNITS,
  Paging,
  Quantity,
  Shortage,
  Tags,
  Text,
  UnitRefs,
  page,
} from '../domain/common.schemas.js';

export { Shortage };
import { PICKING } from '../domain/picking.js';
import { UNIT_STATES } from '../domain/unit-state.js';
import { BUILD_STATUSES } from '../domain/build-status.js';

export { BUILD_STATUSES, type BuildStatus } from '../domain/build-status.js';

const Ref = z.string().max(200);
const Named = z.object({ code: z.string(), name: z.string() });

/** A lot chosen by hand for a BOM entry; without a quantity, as much as the entry still needs. */
export const LotChoice = z.strictObject({
  entry: z.number().int().min(1).describe('the BOM entry (its position)'),
  lot: Ref.describe('lot code'),
  quantity: Quantity.optional(),
});
export type LotChoice = z.input<typeof LotChoice>;

const Sourcing = {
  picking: z.enum(PICKING).default('fifo').describe('how lots are picked when none are chosen'),
  excludeTags: Tags.default([]).describe(
    'lots with one of these tags are never picked automatically',
  ),
  lots: z.array(LotChoice).max(1000).default([]).describe('lots chosen by hand, per entry'),
};

export const BuildPlanRequest = z.strictObject({
  project: Ref,
  quantity: z.number().int().min(1).max(MAX_BUILD_UNITS),
  stage: z.number().int().min(1).optional().describe('plan one stage only'),
  ...Sourcing,
});
export type BuildPlanRequest = z.input<typeof BuildPlanRequest>;

export const BuildCreate = z.strictObject({
  project: Ref,
  quantity: z.number().int().min(1).max(MAX_BUILD_UNITS),
  serialized: z.boolean().default(true).describe('track each unit separately: one lot per unit'),
  location: Ref.describe('where the units (or the output lot) lie'),
  notes: Text.default(''),
  serialFormat: Ref.optional().describe(
    'customer serial format (code or name): every unit gets a serial as the build starts',
  ),
  run: z
    .boolean()
    .default(false)
    .describe('complete every stage for every unit and finish, all in this request'),
  signature: SignatureInput.optional().describe('signs the finish of a build with run'),
  ...Sourcing,
});
export type BuildCreate = z.input<typeof BuildCreate>;

const PartSummary = z.object({ code: z.string(), name: z.string(), unit: z.string() });

export const Pick = z.object({
  lot: z.object({
    code: z.string(),
    shortCode: z.string(),
    name: z.string(),
    expiry: z.string().nullable(),
  }),
  location: Named,
  part: z.string(),
  quantity: z.number(),
});

export const PlanEntry = z.object({
  entryNo: z.number(),
  stage: z.number(),
  part: PartSummary,
  designators: z.string(),
  dnp: z.boolean(),
  perUnit: z.number(),
  need: z.number(),
  picks: z.array(Pick),
  short: z.number(),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

export const BuildPlan = z.object({
  project: Named,
  quantity: z.number(),
  ok: z.boolean().describe('every entry is covered'),
  entries: z.array(PlanEntry),
  shortages: z.array(Shortage),
});
export type BuildPlan = z.infer<typeof BuildPlan>;

export const StageProgress = z.object({
  stage: z.number(),
  name: z.string().describe('the stage’s name when the build started; empty: unnamed'),
  documentation: z.boolean().describe('a named documentation stage: places no parts'),
  entries: z.number(),
  placesParts: z.boolean().describe('false: a documentation-only stage'),
  completedUnits: z.number(),
});

export const Build = z.object({
  code: z.string(),
  shortCode: z.string(),
  project: Named,
  part: Named,
  location: Named,
  quantity: z.number(),
  serialized: z.boolean(),
  status: z.enum(BUILD_STATUSES),
  picking: z.enum(PICKING),
  excludeTags: z.array(z.string()),
  notes: z.string(),
  finishNote: z.string(),
  bomRevision: z.number().int().describe('the project’s BOM revision the build started with'),
  projectBomRevision: z
    .number()
    .int()
    .describe('the project’s BOM revision now: greater when the BOM changed since'),
  bomApproval: BomApproval.nullable().describe(
    'the approval of the BOM revision the build started with; null: not approved',
  ),
  stages: z.array(StageProgress),
  units: z.object({
    total: z.number(),
    inProduction: z.number(),
    available: z.number(),
    held: z.number().describe('in production or available, with stock held (a recall hold)'),
    rejected: z.number().describe('in production or available, with stock rejected'),
    installed: z.number(),
    scrapped: z.number(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Build = z.infer<typeof Build>;

export const BuildQuery = Paging.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .describe("part of the project's or product's name or of the notes, or the build's code"),
  project: Ref.optional(),
  status: z.enum(BUILD_STATUSES).optional(),
});
export type BuildQuery = z.input<typeof BuildQuery>;
export const BuildPage = page(Build);
export type BuildPage = z.infer<typeof BuildPage>;

export const BuildUnit = z.object({
  code: z.string(),
  shortCode: z.string(),
  serial: z.number(),
  label: z.string().describe('<build short code>-<serial>'),
  state: z.enum(UNIT_STATES),
  stagesCompleted: z.array(z.number()),
  customerSerials: z.array(z.string()).describe('customer serials given to the unit, oldest first'),
  tests: UnitTestsAtAGlance,
});
export type BuildUnit = z.infer<typeof BuildUnit>;
export const UnitQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_BUILD_UNITS).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export const UnitPage = page(BuildUnit);
export type UnitPage = z.infer<typeof UnitPage>;

export const CompleteStage = z.strictObject({
  units: UnitRefs.max(MAX_BUILD_UNITS)
    .optional()
    .describe(
      'build serials, ranges of them ({from, to}: 1–60 is {"from": 1, "to": 60}) or unit codes; default: every unit that has not completed the stage',
    ),
  lots: Sourcing.lots,
  picking: z.enum(PICKING).optional().describe("default: the build's"),
  note: z.string().max(1000).default(''),
});
export type CompleteStage = z.input<typeof CompleteStage>;

export const Consumed = z.object({
  completion: z.number(),
  stage: z.number(),
  entryNo: z.number(),
  part: Named,
  lot: z.object({
    code: z.string(),
    shortCode: z.string(),
    name: z.string(),
    vendorLot: z.string(),
    dateCode: z.string(),
  }),
  quantity: z.number(),
  units: z.string().describe("'all' or the build serials, e.g. '1–60, 75'"),
  at: z.string(),
});
export type Consumed = z.infer<typeof Consumed>;

export const CompletionResult = z.object({
  completion: z.number(),
  stage: z.number(),
  units: z.number(),
  serials: z.string(),
  consumed: z.array(Consumed),
});
export type CompletionResult = z.infer<typeof CompletionResult>;

export const ScrapRequest = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const FinishRequest = z.strictObject({
  allowIncomplete: z
    .boolean()
    .default(false)
    .describe('finish although some units miss stages; needs a note, which is recorded'),
  note: z.string().max(1000).default(''),
  overrideTests: z
    .boolean()
    .default(false)
    .describe('finish although required tests are not passed (project setting); needs a note'),
  signature: SignatureInput.optional(),
});
export type FinishRequest = z.input<typeof FinishRequest>;
export const CancelRequest = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const ReverseRequest = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .describe('why the completion is reversed (e.g. the wrong reel was used); recorded'),
  signature: SignatureInput.optional().describe('signs the reversal (required when configured)'),
});
export type ReverseRequest = z.input<typeof ReverseRequest>;

export const CompletionReversal = z.object({
  completion: z.number(),
  stage: z.number(),
  units: z.number(),
  serials: z.string().describe("'all' or the build serials, e.g. '1–60, 75'"),
  returned: z.array(Consumed).describe('the consumption returned to the stock it came from'),
  reversedAt: z.string(),
  reversedBy: z.string(),
  reason: z.string(),
});
export type CompletionReversal = z.infer<typeof CompletionReversal>;

/** A change of one line of a build's BOM copy: its part and/or quantity, a new line, or none. */
export const BuildEntryChange = z.strictObject({
  part: Ref.optional().describe('the part the line takes instead (e.g. a substitute)'),
  quantity: Quantity.optional().describe('per unit built, in the part’s unit'),
  stage: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('a new line’s stage (default 1), or the stage a line moves to'),
  remove: z.boolean().default(false).describe('remove the line'),
  reason: z.string().trim().min(1).max(1000).describe('why the line changes; recorded'),
});
export type BuildEntryChange = z.input<typeof BuildEntryChange>;

export const InstallRequest = z.strictObject({
  child: Ref.describe('the sub-assembly unit put in'),
  parent: Ref.describe('the unit it goes into'),
});
export type InstallRequest = z.input<typeof InstallRequest>;
export const UninstallRequest = z.strictObject({
  child: Ref,
  reason: z.string().trim().min(1).max(1000),
  location: Ref.optional().describe("where the removed unit goes; default: the parent's location"),
});
export type UninstallRequest = z.input<typeof UninstallRequest>;
export const Installation = z.object({
  id: z.number(),
  child: z.string(),
  parent: z.string(),
  entryNo: z.number(),
  installedAt: z.string(),
  installedBy: z.string(),
  removedAt: z.string().nullable(),
  removedBy: z.string().nullable(),
  removedReason: z.string().nullable(),
});
export type Installation = z.infer<typeof Installation>;

const TimelineBase = {
  at: z.string(),
  actor: z.string().describe('who did it'),
  note: z
    .string()
    .describe(
      "what was written with it: the build's notes, a completion's note, a scrap's, a reversal's, a BOM change's or a cancellation's reason, the finish note",
    ),
};

/** A line of a build's BOM as a change shows it. */
export const BomLine = z.object({ part: Named, quantity: z.number(), stage: z.number() });
export type BomLine = z.infer<typeof BomLine>;

/** One step of a build's life, in the order they happened. */
export const TimelineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), ...TimelineBase, quantity: z.number() }),
  z.object({
    type: z.literal('stage_completed'),
    ...TimelineBase,
    completion: z.number(),
    stage: z.number(),
    units: z.number(),
    serials: z.string().describe("'all' or the build serials, e.g. '1–60, 75'"),
    consumed: z.array(Consumed).describe('empty for a stage that places no parts'),
    reversed: z
      .object({ at: z.string(), actor: z.string(), reason: z.string() })
      .nullable()
      .describe('set when the completion was reversed since: it no longer counts'),
  }),
  z.object({
    type: z.literal('completion_reversed'),
    ...TimelineBase,
    completion: z.number(),
    stage: z.number(),
    units: z.number(),
    serials: z.string(),
  }),
  z.object({
    type: z.literal('bom_changed'),
    ...TimelineBase,
    entryNo: z.number(),
    before: BomLine.nullable().describe('null: the line was added'),
    after: BomLine.nullable().describe('null: the line was removed'),
  }),
  z.object({
    type: z.literal('unit_scrapped'),
    ...TimelineBase,
    unit: z.object({ code: z.string(), label: z.string() }),
  }),
  z.object({
    type: z.literal('finished'),
    ...TimelineBase,
    incomplete: z
      .array(z.object({ stage: z.number(), units: z.string() }))
      .describe('stages some units had not completed when it was finished anyway'),
  }),
  z.object({ type: z.literal('cancelled'), ...TimelineBase }),
  z.object({
    type: z.literal('signed'),
    ...TimelineBase,
    meaning: z.enum(SIGNATURE_MEANINGS),
    operation: z.string().describe('what was signed, e.g. build_finished'),
    record: z.string().describe('the change record signed'),
  }),
]);
export type TimelineEvent = z.infer<typeof TimelineEvent>;
export const Timeline = z.object({ items: z.array(TimelineEvent) });
