import { z } from 'zod';
import { UnitTestsAtAGlance } from '../test-results/test-result.schemas.js';
import { SignatureInput } from '../signatures/signature.schemas.js';
import { CustomFields, Paging, page } from '../domain/common.schemas.js';
import { LIFECYCLE_OPERATIONS } from '../domain/unit-lifecycle.js';
import { UNIT_STATES } from '../domain/unit-state.js';
import { SERVICE_EVENT_TYPES } from '../domain/service-event.js';

export { SERVICE_EVENT_TYPES, type ServiceEventType } from '../domain/service-event.js';

const Ref = z.string().max(200);
/** A reason or note a person types: required, one paragraph or a few. */
const Reason = z.string().trim().min(1).max(2000);

export const ReturnRequest = z.strictObject({
  reason: Reason.describe('why the customer sent it back'),
  location: Ref.describe('where the returned unit lies now (it is held there)'),
});
export type ReturnRequest = z.input<typeof ReturnRequest>;

export const RepairRequest = z.strictObject({
  note: z.string().trim().max(2000).default(''),
});
export type RepairRequest = z.input<typeof RepairRequest>;

export const ReleaseRequest = z.strictObject({
  location: Ref.optional().describe('where the released unit goes (default: where it lies)'),
  override: z
    .boolean()
    .default(false)
    .describe('release although the release gate refuses (a note saying why is required)'),
  note: z.string().trim().max(2000).default(''),
  signature: SignatureInput.optional(),
});
export type ReleaseRequest = z.input<typeof ReleaseRequest>;

export const UnitScrapRequest = z.strictObject({ reason: Reason });
export type UnitScrapRequest = z.input<typeof UnitScrapRequest>;

export const ServiceEventCreate = z.strictObject({
  type: z.enum(SERVICE_EVENT_TYPES),
  text: z.string().trim().min(1).max(10_000),
  customFields: CustomFields.default({}),
});
export type ServiceEventCreate = z.input<typeof ServiceEventCreate>;

export const ServiceEvent = z.object({
  code: z.string(),
  shortCode: z.string(),
  unit: z.string(),
  type: z.enum(SERVICE_EVENT_TYPES),
  text: z.string(),
  customFields: z.record(z.string(), z.string()),
  actor: z.object({ code: z.string().nullable(), name: z.string() }),
  at: z.string(),
});
export type ServiceEvent = z.infer<typeof ServiceEvent>;

export const ServiceEventQuery = Paging;
export type ServiceEventQuery = z.input<typeof ServiceEventQuery>;
export const ServiceEventPage = page(ServiceEvent);
export type ServiceEventPage = z.infer<typeof ServiceEventPage>;

export const UnitStatus = z.object({
  code: z.string(),
  shortCode: z.string(),
  label: z.string().nullable().describe('`<build short code>-<serial>` for a build unit'),
  build: z
    .object({ code: z.string(), shortCode: z.string(), serial: z.number() })
    .nullable()
    .describe('the build that made the unit, and its serial there'),
  part: z.object({ code: z.string(), name: z.string() }),
  state: z.enum(UNIT_STATES),
  allowed: z.array(z.enum(LIFECYCLE_OPERATIONS)).describe('operations the state allows now'),
  tests: UnitTestsAtAGlance,
  shipment: z
    .object({
      code: z.string(),
      shortCode: z.string(),
      customer: z.string(),
      reference: z.string(),
      date: z.string(),
      returnedAt: z.string().nullable(),
      returnReason: z.string().nullable(),
    })
    .nullable()
    .describe('the latest shipment the unit went out in'),
});
export type UnitStatus = z.infer<typeof UnitStatus>;

/** The most units one status lookup may name: a shipment's worth (one request, a few statements). */
export const MAX_STATUS_CODES = 10_000;

export const UnitStatusRequest = z.strictObject({
  codes: z
    .array(Ref)
    .min(1)
    .max(MAX_STATUS_CODES)
    .describe('unit codes (any form a label gives); a code named twice is answered once'),
});
export type UnitStatusRequest = z.input<typeof UnitStatusRequest>;

export const UnitStatusList = z.object({
  units: z.array(UnitStatus).describe('the units found, in the order asked'),
  notUnits: z
    .array(z.object({ code: z.string(), reason: z.string() }))
    .describe('codes that name no unit: not found, or a lot that is not a device'),
});
export type UnitStatusList = z.infer<typeof UnitStatusList>;
