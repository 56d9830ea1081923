import { z } from 'zod';
import { Installation as BuildInstallation } from '../builds/build.schemas.js';
import { TestResult } from '../test-results/test-result.schemas.js';
import { SERVICE_EVENT_TYPES } from '../domain/service-event.js';
import { UNIT_STATES } from '../domain/unit-state.js';
import { SignatureShown } from '../signatures/signature.schemas.js';

/*
 * The Device History Record (docs/dhr.md): a document of sections, in the order they are
 * printed. The JSON and the PDF carry the same content — every value here is printed — so a
 * section holds only what the PDF shows. New kinds of section (signatures, the change-log
 * records a record rests on with the chain head) are added to the unions below, and to the
 * renderer, without changing the others.
 */

const Ref = z.object({ code: z.string(), label: z.string().nullable() });
const PartRef = z.object({ code: z.string(), name: z.string(), mpn: z.string() });

export const DhrIdentity = z.object({
  type: z.literal('identity'),
  code: z.string(),
  shortCode: z.string(),
  buildSerial: z.string().nullable().describe('`<build short code>-<n>`'),
  customerSerials: z.array(z.string()),
  udi: z
    .string()
    .nullable()
    .describe("GS1 UDI in human-readable form; null when the unit's part has no GTIN"),
  part: PartRef,
  state: z.enum(UNIT_STATES),
  createdAt: z.string(),
});

export const DhrBuild = z.object({
  type: z.literal('build'),
  code: z.string(),
  shortCode: z.string(),
  project: z.object({ code: z.string(), name: z.string() }),
  part: z.object({ code: z.string(), name: z.string() }),
  bomRevision: z
    .number()
    .int()
    .describe("the revision of the project's BOM the build started with"),
  bomApproval: z
    .object({
      by: z.string(),
      at: z.string(),
      note: z.string(),
      signature: SignatureShown.nullable(),
    })
    .nullable()
    .describe(
      'who approved that revision, when, and their electronic signature; null: not approved',
    ),
  quantity: z.number(),
  serialized: z.boolean(),
  status: z.string(),
  notes: z.string(),
  finishNote: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const DhrBom = z.object({
  type: z.literal('bom'),
  description: z
    .string()
    .describe('the BOM as the build took it when it started, with its revision'),
  entries: z.array(
    z.object({
      entryNo: z.number(),
      stage: z.number(),
      part: z.object({ code: z.string(), name: z.string() }),
      quantity: z.number().describe('per unit, in the part unit'),
      unit: z.string(),
      designators: z.string(),
      dnp: z.boolean(),
      substitutes: z.array(z.string()).describe('part names'),
      comments: z.string(),
    }),
  ),
});

export const DhrStages = z.object({
  type: z.literal('stages'),
  completions: z.array(
    z.object({
      completion: z.number(),
      stage: z.number(),
      at: z.string(),
      operator: z.string(),
      note: z.string(),
      units: z.string().describe("'all' or the build serials, e.g. '1–60, 75'"),
    }),
  ),
});

export const DhrLot = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  vendorLot: z.string(),
  dateCode: z.string(),
  orderRef: z.string(),
});

export const DhrMaterials = z.object({
  type: z.literal('materials'),
  consumed: z.array(
    z.object({
      completion: z.number(),
      stage: z.number(),
      entryNo: z.number(),
      part: z.object({ code: z.string(), name: z.string() }),
      lot: DhrLot,
      quantity: z.number(),
      units: z.string(),
    }),
  ),
});

/** A node of the genealogy: the unit, a unit installed in it or a lot consumed into it. */
export interface DhrNode {
  code: string;
  label: string | null;
  part: { code: string; name: string; mpn: string };
  lot: {
    name: string;
    vendorLot: string;
    dateCode: string;
    orderRef: string;
    expiry: string | null;
  };
  /** How it went into its parent: `installed entry 2 at … by …`, `consumed stage 1 entry 3 …`. */
  via: string | null;
  children: DhrNode[];
  removed: string[];
}
export const DhrNode: z.ZodType<DhrNode> = z
  .object({
    code: z.string(),
    label: z.string().nullable(),
    part: PartRef,
    lot: z.object({
      name: z.string(),
      vendorLot: z.string(),
      dateCode: z.string(),
      orderRef: z.string(),
      expiry: z.string().nullable(),
    }),
    via: z.string().nullable(),
    get children() {
      return z.array(DhrNode);
    },
    removed: z.array(z.string()).describe('units installed once and removed since'),
  })
  .meta({ id: 'DhrNode' });

export const DhrGenealogy = z.object({
  type: z.literal('genealogy'),
  root: DhrNode,
  installedIn: Ref.nullable(),
});

export const DhrTests = z.object({
  type: z.literal('tests'),
  status: z
    .enum(['passed', 'failed', 'missing', 'none'])
    .describe(
      "by the latest result of each enabled test of the unit's part: none when it has none",
    ),
  results: z.array(
    TestResult.omit({
      unit: true,
      template: true,
      valueNumber: true,
      valueText: true,
      recordedBy: true,
      recordedAt: true,
    }).extend({
      value: z.string().nullable().describe('the measured number or text'),
      unit: z.string().describe("the test template's unit"),
      min: z.string().nullable(),
      max: z.string().nullable(),
    }),
  ),
});

const Installation = BuildInstallation.omit({ id: true, child: true, parent: true }).shape;

export const DhrInstallations = z.object({
  type: z.literal('installations'),
  installed: z
    .array(z.object({ unit: Ref, part: z.string(), ...Installation }))
    .describe('units installed in this one, removed ones too'),
  installedIn: z
    .array(z.object({ unit: Ref, ...Installation }))
    .describe('units this one was installed in'),
});

export const DhrServiceEvents = z.object({
  type: z.literal('service_events'),
  events: z.array(
    z.object({
      code: z.string(),
      type: z.enum(SERVICE_EVENT_TYPES),
      text: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
});

export const DhrShipments = z.object({
  type: z.literal('shipments'),
  shipments: z.array(
    z.object({
      code: z.string(),
      customer: z.string(),
      reference: z.string(),
      shippedOn: z.string(),
      note: z.string(),
      returnedAt: z.string().nullable(),
      returnedBy: z.string().nullable(),
      returnReason: z.string().nullable(),
      reversedAt: z
        .string()
        .nullable()
        .describe('set when the shipment was entered by mistake and reversed: no shipment'),
      reversedBy: z.string().nullable(),
      reverseReason: z.string().nullable(),
    }),
  ),
});

export const DhrAttachments = z.object({
  type: z.literal('attachments'),
  files: z.array(
    z.object({
      code: z.string(),
      fileName: z.string(),
      mediaType: z.string(),
      size: z.number(),
      sha256: z.string(),
      note: z.string(),
      addedBy: z.string(),
      addedAt: z.string(),
    }),
  ),
});

export const DhrHistory = z.object({
  type: z.literal('history'),
  events: z.array(
    z.object({
      id: z.number(),
      type: z.string(),
      at: z.string(),
      by: z.string(),
      details: z.string().describe("the event's data as `key: value` pairs"),
    }),
  ),
});

/** The change records the document rests on, and the chain head when it was made. */
export const DhrChangeLog = z.object({
  type: z.literal('change_log'),
  head: z
    .object({ site: z.string(), seq: z.number(), hash: z.string(), hlc: z.string() })
    .nullable(),
  records: z.array(
    z.object({
      id: z.string(),
      site: z.string(),
      seq: z.number(),
      at: z.string(),
      by: z.string(),
      operation: z.string(),
      hash: z.string(),
    }),
  ),
});

export const DhrUnitSummary = z.object({
  type: z.literal('units'),
  units: z.array(
    z.object({
      code: z.string(),
      label: z.string().nullable(),
      customerSerials: z.array(z.string()),
      state: z.enum(UNIT_STATES),
      tests: DhrTests.shape.status,
    }),
  ),
});

/** What a unit's record holds: on its own, or as one unit of a build's record. */
export const DhrUnitSection = z.discriminatedUnion('type', [
  DhrIdentity,
  DhrBuild,
  DhrBom,
  DhrGenealogy,
  DhrStages,
  DhrTests,
  DhrInstallations,
  DhrServiceEvents,
  DhrShipments,
  DhrAttachments,
  DhrHistory,
]);
export type DhrUnitSection = z.infer<typeof DhrUnitSection>;

/** One unit of a build's record, with the sections that are its own. */
export const DhrUnitRecord = z.object({
  type: z.literal('unit'),
  code: z.string(),
  label: z.string().nullable(),
  sections: z.array(DhrUnitSection),
});

export const DhrSection = z.discriminatedUnion('type', [
  ...DhrUnitSection.options,
  DhrMaterials,
  DhrUnitSummary,
  DhrUnitRecord,
  DhrChangeLog,
]);
export type DhrSection = z.infer<typeof DhrSection>;

export const Dhr = z.object({
  kind: z.enum(['unit', 'build']),
  code: z.string(),
  shortCode: z.string(),
  title: z.string(),
  generatedAt: z.string(),
  sections: z.array(DhrSection),
});
export type Dhr = z.infer<typeof Dhr>;
