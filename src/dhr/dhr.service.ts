import { removedAttachmentCodes } from '../attachments/attachment.repository.js';
import { changeLogOf } from '../audit/audit.service.js';
import { listBuildBom, getBuild, getBuildRow } from '../builds/build-view.service.js';
import { listCompletions, listConsumption } from '../builds/build.repository.js';
import { now, type Context } from '../context.js';
import { parseCode, shortCode } from '../domain/code.js';
import { groupBy } from '../domain/collections.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Database } from '../db/database.js';
import { toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { formatRanges, inRanges, type SerialRange } from '../domain/serial-ranges.js';
import { unitLabel } from '../domain/unit-label.js';
import { unitState } from '../domain/unit-state.js';
import { listHistoryOf } from '../history/history.repository.js';
import { udiOf } from '../labels/label-print.service.js';
import { resolveCode } from '../resolver/resolve.service.js';
import { serialsOfLots } from '../serials/serial.repository.js';
import { listShipmentsOf } from '../shipments/shipment.repository.js';
import { listTemplateRows } from '../test-results/test-template.repository.js';
import { traceBackward } from '../trace/trace.service.js';
import type { TraceNode } from '../trace/trace.schemas.js';
import {
  dhrAttachments,
  dhrInstallations,
  dhrServiceEvents,
  dhrTestResults,
  dhrUnitRows,
  unitCodesOfBuild,
  type DhrUnitRow,
} from './dhr.repository.js';
import type { Dhr, DhrNode, DhrSection, DhrUnitSection } from './dhr.schemas.js';

/*
 * The Device History Record of a unit or a build (docs/dhr.md): read-only, built from the
 * facts the other features store. Everything a unit's record holds is read for a list of units
 * at once (unitRecords), so a build's record costs a few statements per kind of fact whatever
 * its size. Without `actor` the caller is trusted (the command line).
 */

type Completion = Awaited<ReturnType<typeof listCompletions>>[number];
type TestsSection = Extract<DhrUnitSection, { type: 'tests' }>;

/** The record of one unit, by any form of its code. */
export async function getUnitDhr(ctx: Context, ref: string, actor?: Actor): Promise<Dhr> {
  const code = parseCode(ref, 'code');
  const [row] = await dhrUnitRows(ctx.db, [code]);
  if (!row) throw new NotFoundError('unit', code, 'code');
  if (row.unit_state === null)
    throw new ValidationError(
      'code',
      `lot ${shortCode(code)} is not a unit (a serialized build's lot of one)`,
    );
  const completions = row.build_code ? await listCompletions(ctx.db, row.build_code) : [];
  const [records, build, genealogy] = await Promise.all([
    unitRecords(ctx, [row], actor),
    row.build_code ? buildSections(ctx, row.build_code) : [],
    genealogyOf(ctx, code),
  ]);
  const [identity, ...rest] = records.get(code)!;
  const sections: DhrSection[] = [
    identity!,
    ...build,
    genealogy,
    {
      type: 'stages',
      completions: completions
        .filter((c) => row.build_serial === null || covers(c.ranges, row.build_serial))
        .map(toStage),
    },
    ...rest,
  ];
  const label = unitLabel(row);
  return document(
    ctx,
    'unit',
    code,
    `Device History Record — unit ${label ?? shortCode(code)}`,
    sections,
  );
}

/** The record of a build: its own sections, a table of its units, then each unit's record. */
export async function getBuildDhr(ctx: Context, ref: string, actor?: Actor): Promise<Dhr> {
  const build = await getBuildRow(ctx, ref);
  const codes = await unitCodesOfBuild(ctx.db, build.code);
  const [rows, completions, consumed, own, ownHistory] = await Promise.all([
    dhrUnitRows(ctx.db, codes),
    listCompletions(ctx.db, build.code),
    listConsumption(ctx.db, build.code),
    dhrAttachments(ctx.db, [build.code]),
    historyOfSubjects(ctx.db, [build.code]),
  ]);
  const bySerial = rows.sort((a, b) => (a.build_serial ?? 0) - (b.build_serial ?? 0));
  const [general, records] = await Promise.all([
    buildSections(ctx, build.code),
    unitRecords(ctx, bySerial, actor),
  ]);
  // A unit's own genealogy adds to the build's materials only what was installed in it: the
  // units with installed sub-units get their tree (one trace each), the others need none.
  for (const row of bySerial) {
    const installed = records.get(row.code)!.find((s) => s.type === 'installations');
    if (installed?.type === 'installations' && installed.installed.some((i) => !i.removedAt))
      records.get(row.code)!.splice(1, 0, await genealogyOf(ctx, row.code));
  }
  const rangesOf = new Map(completions.map((c) => [c.id, c.ranges]));
  const sections: DhrSection[] = [
    ...general,
    { type: 'stages', completions: completions.map(toStage) },
    {
      type: 'materials',
      consumed: consumed.map((c) => ({
        completion: Number(c.completion_id),
        stage: c.stage,
        entryNo: c.entry_no,
        part: { code: c.part_code, name: c.part_name },
        lot: {
          code: c.lot_code,
          shortCode: shortCode(c.lot_code),
          name: c.lot_name,
          vendorLot: c.vendor_lot,
          dateCode: c.date_code,
          orderRef: c.order_ref,
        },
        quantity: toUnits(Number(c.quantity)),
        units: unitsText(rangesOf.get(Number(c.completion_id)) ?? []),
      })),
    },
    attachmentsSection(own),
    historySection(await visibleHistory(ctx, ownHistory, actor)),
    {
      type: 'units',
      units: bySerial.map((row) => {
        const [identity] = records.get(row.code)!;
        const tests = records.get(row.code)!.find((s): s is TestsSection => s.type === 'tests')!;
        return {
          code: row.code,
          label: unitLabel(row),
          customerSerials: identity!.type === 'identity' ? identity!.customerSerials : [],
          state: unitState(row.unit_state!, row.stock_aside),
          tests: tests.status,
        };
      }),
    },
    ...bySerial.map((row): DhrSection => ({
      type: 'unit',
      code: row.code,
      label: unitLabel(row),
      sections: records.get(row.code)!,
    })),
  ];
  return document(
    ctx,
    'build',
    build.code,
    `Device History Record — build ${shortCode(build.code)}`,
    sections,
  );
}

/** The record of what `ref` names, a unit or a build (the command line's argument). */
export async function getDhr(ctx: Context, ref: string, actor?: Actor): Promise<Dhr> {
  const match = await resolveCode(ctx, ref, 'code');
  if (match.kind === 'build') return getBuildDhr(ctx, match.code, actor);
  if (match.kind === 'lot') return getUnitDhr(ctx, match.code, actor);
  throw new ValidationError('code', `${match.code} is a ${match.kind}, not a unit or a build`);
}

/** The document, ending with the change records of its object and the chain head. */
async function document(
  ctx: Context,
  kind: Dhr['kind'],
  code: string,
  title: string,
  sections: DhrSection[],
): Promise<Dhr> {
  const log = await changeLogOf(ctx, code);
  return {
    kind,
    code,
    shortCode: shortCode(code),
    title,
    generatedAt: now(ctx),
    sections: [...sections, { type: 'change_log', ...log }],
  };
}

/** The build and the BOM it took: the same for the build's record and each unit's. */
async function buildSections(ctx: Context, code: string): Promise<DhrUnitSection[]> {
  const [build, bom] = await Promise.all([getBuild(ctx, code), listBuildBom(ctx, code)]);
  return [
    {
      type: 'build',
      code: build.code,
      shortCode: build.shortCode,
      project: build.project,
      part: build.part,
      bomRevision: build.bomRevision,
      bomApproval: build.bomApproval && {
        by: build.bomApproval.by.name,
        at: build.bomApproval.at,
        note: build.bomApproval.note,
        signature: build.bomApproval.signature,
      },
      quantity: build.quantity,
      serialized: build.serialized,
      status: build.status,
      notes: build.notes,
      finishNote: build.finishNote,
      startedAt: build.createdAt,
      finishedAt: build.finishedAt,
    },
    {
      type: 'bom',
      description: `BOM revision ${build.bomRevision}, as the build took it when it started.`,
      entries: bom.map((e) => ({
        entryNo: e.position,
        stage: e.stage,
        part: { code: e.part.code, name: e.part.name },
        quantity: e.quantity,
        unit: e.part.unit,
        designators: e.designators.join(', '),
        dnp: e.dnp,
        substitutes: e.substitutes.map((s) => s.name),
        comments: e.comments,
      })),
    },
  ];
}

/**
 * Each unit's own sections, in print order: identity, tests, installations, service events,
 * shipments, attachments, history. One statement per kind of fact for all the units.
 */
async function unitRecords(
  ctx: Context,
  rows: DhrUnitRow[],
  actor: Actor | undefined,
): Promise<Map<string, DhrUnitSection[]>> {
  const codes = rows.map((r) => r.code);
  const parts = [...new Set(rows.map((r) => r.part_code))];
  const [serials, templates, results, events, shipments, children, parents, files, history] =
    await Promise.all([
      serialsOfLots(ctx.db, codes),
      listTemplateRows(ctx.db, parts, { disabled: false }),
      dhrTestResults(ctx.db, codes),
      dhrServiceEvents(ctx.db, codes),
      listShipmentsOf(ctx.db, codes),
      dhrInstallations(ctx.db, codes, 'parent_code'),
      dhrInstallations(ctx.db, codes, 'child_code'),
      dhrAttachments(ctx.db, codes),
      historyOfSubjects(ctx.db, codes),
    ]);
  const visible = await visibleHistory(ctx, history, actor);
  const by = <T>(items: T[], key: (item: T) => string) => {
    const groups = groupBy(items, key);
    return (code: string) => groups.get(code) ?? [];
  };
  const [resultsOf, eventsOf, shipmentsOf, childrenOf, parentsOf, filesOf, historyOf] = [
    by(results, (r) => r.lot_code),
    by(events, (e) => e.lot_code),
    by(shipments, (s) => s.lot_code),
    by(children, (i) => i.unit),
    by(parents, (i) => i.unit),
    by(files, (f) => f.subject_code),
    by(visible, (h) => h.subject_code),
  ];
  const templatesOf = by(templates, (t) => t.part_code);
  const installation = (i: (typeof children)[number]) => ({
    unit: { code: i.other_code, label: unitLabel(i) },
    entryNo: i.entry_no,
    installedAt: i.installed_at,
    installedBy: i.installed_by,
    removedAt: i.removed_at,
    removedBy: i.removed_by,
    removedReason: i.removed_reason,
  });
  return new Map(
    rows.map((row) => {
      const own = serials.get(row.code) ?? [];
      const unitResults = resultsOf(row.code);
      const sections: DhrUnitSection[] = [
        {
          type: 'identity',
          code: row.code,
          shortCode: shortCode(row.code),
          buildSerial: unitLabel(row),
          customerSerials: own,
          // The label's UDI: the unit's latest customer serial, as its label prints it.
          udi: row.gtin ? udiOf(row, own.at(-1)) : null,
          part: { code: row.part_code, name: row.part_name, mpn: row.mpn },
          state: unitState(row.unit_state!, row.stock_aside),
          createdAt: row.created_at,
        },
        {
          type: 'tests',
          status: testStatus(templatesOf(row.part_code), unitResults),
          results: unitResults.map((r) => ({
            id: r.id,
            key: r.key,
            name: r.name,
            result: r.result,
            value: r.value_number ?? r.value_text,
            unit: r.unit ?? '',
            min: r.min,
            max: r.max,
            values: r.extra_values,
            station: r.station,
            operator: r.operator,
            startedAt: r.started_at,
            endedAt: r.ended_at,
            testedAt: r.tested_at,
            notes: r.notes,
            attachment: r.attachment_code,
            voided:
              r.voided_at === null
                ? null
                : {
                    at: r.voided_at,
                    by: { code: r.voided_by_code, name: r.voided_by ?? '' },
                    reason: r.void_reason ?? '',
                  },
          })),
        },
        {
          type: 'installations',
          installed: childrenOf(row.code).map((i) => ({ ...installation(i), part: i.part_name })),
          installedIn: parentsOf(row.code).map(installation),
        },
        {
          type: 'service_events',
          events: eventsOf(row.code).map((e) => ({
            code: e.code,
            type: e.type,
            text: e.text,
            by: e.actor_name,
            at: e.created_at,
          })),
        },
        {
          type: 'shipments',
          shipments: shipmentsOf(row.code).map((s) => ({
            code: s.code,
            customer: s.customer,
            reference: s.reference,
            shippedOn: s.shipped_on,
            note: s.note,
            returnedAt: s.returned_at,
            returnedBy: s.returned_by,
            returnReason: s.return_reason,
            reversedAt: s.reversed_at,
            reversedBy: s.reversed_by,
            reverseReason: s.reverse_reason,
          })),
        },
        attachmentsSection(filesOf(row.code)),
        historySection(historyOf(row.code)),
      ];
      return [row.code, sections];
    }),
  );
}

/**
 * The unit's latest result per enabled test of its part decides: failed when one is a fail,
 * passed when every required one is a pass, else missing; none when the part has no tests.
 */
function testStatus(
  templates: { code: string; required: number }[],
  results: { template_code: string | null; result: string; voided_at: string | null }[],
): TestsSection['status'] {
  if (templates.length === 0) return 'none';
  // Results come oldest first (by tested_at, then id): the last one of a test is its latest.
  // A voided result counts for nothing (it was recorded by mistake).
  const latest = new Map(
    results.filter((r) => r.voided_at === null).map((r) => [r.template_code, r.result]),
  );
  if (templates.some((t) => latest.get(t.code) === 'fail')) return 'failed';
  return templates.every((t) => !t.required || latest.get(t.code) === 'pass')
    ? 'passed'
    : 'missing';
}

async function genealogyOf(ctx: Context, code: string): Promise<DhrUnitSection> {
  const tree = await traceBackward(ctx, code);
  const parent = tree.installedIn;
  return {
    type: 'genealogy',
    root: toNode(tree.root),
    installedIn: parent ? { code: parent.code, label: parent.label } : null,
  };
}

function toNode(node: TraceNode): DhrNode {
  const v = node.via;
  const via =
    v?.type === 'installed'
      ? `installed as entry ${v.entryNo}, ${v.installedAt} by ${v.installedBy}`
      : v?.type === 'consumed'
        ? `consumed by build ${v.build.shortCode} stage ${v.stage} entry ${v.entryNo}, ${v.completedAt}: ${v.quantity} ${node.part.unit} for units ${v.units} (${v.scope}-scoped)`
        : null;
  return {
    code: node.code,
    label: node.label,
    part: { code: node.part.code, name: node.part.name, mpn: node.part.mpn },
    lot: {
      name: node.name,
      vendorLot: node.vendorLot,
      dateCode: node.dateCode,
      orderRef: node.orderRef,
      expiry: node.expiry,
    },
    via,
    children: node.children.map(toNode),
    removed: node.removed.map(
      (r) =>
        `${r.label ?? r.shortCode} ${r.code} (${r.part.name}), entry ${r.entryNo}: installed ${r.installedAt}, removed ${r.removedAt}${r.removedBy ? ` by ${r.removedBy}` : ''}${r.reason ? `: ${r.reason}` : ''}`,
    ),
  };
}

function toStage(c: Completion) {
  return {
    completion: c.id,
    stage: c.stage,
    at: c.created_at,
    operator: c.actor_name,
    note: c.note,
    units: unitsText(c.ranges),
  };
}

/** A completion without ranges covers the whole build. */
function covers(ranges: SerialRange[], serial: number): boolean {
  return ranges.length === 0 || inRanges(ranges, serial);
}

function unitsText(ranges: SerialRange[]): string {
  return ranges.length === 0 ? 'all' : formatRanges(ranges);
}

function attachmentsSection(rows: Awaited<ReturnType<typeof dhrAttachments>>): DhrUnitSection {
  return {
    type: 'attachments',
    files: rows.map((f) => ({
      code: f.code,
      fileName: f.file_name,
      mediaType: f.media_type,
      size: Number(f.size),
      sha256: f.sha256,
      note: f.note,
      addedBy: f.created_by,
      addedAt: f.created_at,
    })),
  };
}

/** The history events of the record's objects, from the change log (and from before it). */
async function historyOfSubjects(db: Database, subjects: readonly string[]) {
  const events = await listHistoryOf(db, subjects);
  return events.map((e) => ({
    id: e.id,
    subject_code: e.subjectCode,
    type: e.type as string,
    data: e.data,
    actor_name: e.actor.name,
    created_at: e.at,
  }));
}

type HistoryRow = Awaited<ReturnType<typeof historyOfSubjects>>[number];

function historySection(rows: HistoryRow[]): DhrUnitSection {
  return {
    type: 'history',
    events: rows.map((e) => ({
      id: e.id,
      type: e.type,
      at: e.created_at,
      by: e.actor_name,
      details: detailsOf(e.data),
    })),
  };
}

/** An event's data as `key: value` pairs, nested values as JSON: printed as the JSON holds it. */
function detailsOf(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

/**
 * Readers other than admins do not see the events of removed attachments (their names and the
 * reasons), as in a lot's history (stock/lot-view.service.ts).
 */
async function visibleHistory(
  ctx: Context,
  rows: HistoryRow[],
  actor: Actor | undefined,
): Promise<HistoryRow[]> {
  if ((actor?.role ?? 'admin') === 'admin') return rows;
  const attachmentOf = (e: HistoryRow) =>
    e.type.startsWith('attachment_') ? (e.data as { attachment?: string }).attachment : undefined;
  const removed = await removedAttachmentCodes(
    ctx.db,
    rows.map(attachmentOf).filter((c) => c !== undefined),
  );
  return removed.size === 0 ? rows : rows.filter((e) => !removed.has(attachmentOf(e) ?? ''));
}
