import { withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { existingCodes } from '../db/object-code.repository.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { createLocation, updateLocation } from '../locations/location.service.js';
import type { PartKind } from '../parts/part.schemas.js';
import { createPart } from '../parts/part.service.js';
import { replaceBom } from '../projects/bom.service.js';
import type { BomEntryInput } from '../projects/project.schemas.js';
import { createProject } from '../projects/project.service.js';
import { codeOfPartsboxId } from './partsbox-codes.js';
import { at, fieldsOf, noLot, ReportBuilder, text } from './partsbox-report.js';
import { importStockHistory } from './partsbox-stock.service.js';
import type {
  PartsboxExport,
  PartsboxReport,
  PbPart,
  PbProject,
  PbStorage,
} from './partsbox.schemas.js';

export interface PartsboxImportOptions {
  onProgress?: (message: string) => void;
}

const ALREADY = 'already imported (its code exists)';

/** PartsBox part types (`part/type`) and Tracelot's part kinds. */
const KINDS: Record<string, PartKind> = {
  local: 'component',
  linked: 'component',
  'sub-assembly': 'sub_assembly',
  meta: 'meta_part',
};

/**
 * Moves a PartsBox account in (docs/partsbox.md): storage locations, parts with their stock
 * history, lots, projects with their BOMs — each keeping its PartsBox id as its code — through
 * the services every other write goes through, in one transaction: all of it or nothing.
 * What exists already (its code is taken) is skipped and reported, so a second run adds only
 * what is new; what Tracelot has no place for is skipped with the reason.
 */
export async function importPartsbox(
  ctx: Context,
  actor: Actor,
  data: PartsboxExport,
  options: PartsboxImportOptions = {},
): Promise<PartsboxReport> {
  const progress = options.onProgress ?? (() => undefined);
  const report = new ReportBuilder();
  const orderRefs = new Map(
    data.order.map((o) => [
      o['order/id'],
      [o['order/vendor-name'], o['order/number'] ?? o['order/po-number']].filter(Boolean).join(' '),
    ]),
  );
  await inTransaction(ctx.db, async (db) => {
    const tx = withDb(ctx, db);
    const existing = await existingCodes(db, [
      ...data.storage.map((s) => report.code('storage', s['storage/id'])),
      ...data.part.map((p) => report.code('part', p['part/id'])),
      ...data.lot.map((l) => report.code('lot', l['lot/id'])),
      ...data.project.map((p) => report.code('project', p['project/id'])),
      // Stock PartsBox kept without a lot becomes a lot of its own (reported when it is made).
      ...data.part.map((p) => codeOfPartsboxId('lot', noLot(p['part/id'])).code),
    ]);
    const isNew =
      <T>(
        kind: 'storage' | 'part' | 'project',
        id: (r: T) => string,
        name: (r: T) => string | null | undefined,
      ) =>
      (r: T) => {
        if (!existing.has(report.code(kind, id(r)))) return true;
        report.skip(kind, id(r), name(r) ?? '', ALREADY);
        return false;
      };
    const storages = data.storage.filter(
      isNew<PbStorage>(
        'storage',
        (s) => s['storage/id'],
        (s) => s['storage/name'],
      ),
    );
    for (const storage of storages) await importStorage(tx, actor, storage, report);
    progress(`storage: ${storages.length} locations`);
    const parts = data.part.filter(
      isNew<PbPart>(
        'part',
        (p) => p['part/id'],
        (p) => p['part/name'],
      ),
    );
    for (const [i, part] of parts.entries()) {
      await importPart(tx, actor, part, report);
      if ((i + 1) % 100 === 0) progress(`parts: ${i + 1} of ${parts.length}`);
    }
    progress(`parts: ${parts.length}`);
    await importStockHistory(tx, actor, { data, parts, existing, report, orderRefs }, progress);
    const projects = data.project.filter(
      isNew<PbProject>(
        'project',
        (p) => p['project/id'],
        (p) => p['project/name'],
      ),
    );
    const partIds = new Set(data.part.map((p) => p['part/id']));
    for (const project of projects) await importProject(tx, actor, project, partIds, report);
    progress(`projects: ${projects.length}`);
  });
  for (const build of data.build) {
    report.skip(
      'build',
      build['build/id'],
      build['build/comments'] ?? '',
      'a PartsBox build is a record of parts taken out, and its stock entries are imported as removals; a Tracelot build takes stock itself, so making one would take it twice',
    );
  }
  for (const order of data.order) {
    report.skip(
      'order',
      order['order/id'],
      orderRefs.get(order['order/id']) ?? '',
      'Tracelot has no purchase orders: the order number is kept as the order reference of the lots received from it',
    );
  }
  return report.report;
}

async function importStorage(ctx: Context, actor: Actor, s: PbStorage, report: ReportBuilder) {
  const code = report.code('storage', s['storage/id']);
  const input = {
    name: s['storage/name'],
    description: text(s['storage/description'], s['storage/comments']),
    tags: s['storage/tags'] ?? [],
    customFields: fieldsOf(s['storage/custom-fields']),
  };
  await at(`storage.json: storage ${s['storage/id']}`, async () => {
    try {
      await createLocation(ctx, actor, input, code);
    } catch (error) {
      // Names are unique in Tracelot, not in PartsBox (two shelves "A1" in two rooms).
      if (!(error instanceof ConflictError) || error.field !== 'name') throw error;
      const name = `${input.name} (${shortCode(code)})`;
      await createLocation(ctx, actor, { ...input, name }, code);
      report.skip('storage', s['storage/id'], input.name, `name taken: imported as '${name}'`);
    }
    if (s['storage/archived']) await updateLocation(ctx, actor, code, { archived: true });
  });
  report.count('storage');
}

async function importPart(ctx: Context, actor: Actor, p: PbPart, report: ReportBuilder) {
  const where = `part.json: part ${p['part/id']}`;
  const type = p['part/type'] ?? 'local';
  const kind = KINDS[type];
  const footprint = p['part/footprint'];
  await at(where, async () => {
    if (!kind)
      throw new ValidationError(
        'part/type',
        `'${type}' is none of ${Object.keys(KINDS).join(', ')}`,
      );
    return createPart(
      ctx,
      actor,
      {
        name: p['part/name'] || p['part/mpn'] || '',
        description: text(p['part/description'], p['part/notes']),
        manufacturer: p['part/manufacturer'] ?? '',
        mpn: p['part/mpn'] ?? '',
        kind,
        tags: p['part/tags'] ?? [],
        customFields: { ...(footprint ? { footprint } : {}), ...fieldsOf(p['part/custom-fields']) },
      },
      report.code('part', p['part/id']),
    );
  });
  report.count('part');
}

async function importProject(
  ctx: Context,
  actor: Actor,
  p: PbProject,
  partIds: Set<string>,
  report: ReportBuilder,
) {
  const id = p['project/id'];
  const code = report.code('project', id);
  await at(`project.json: project ${id}`, () =>
    createProject(
      ctx,
      actor,
      {
        name: p['project/name'],
        description: p['project/description'] ?? '',
        notes: p['project/notes'] ?? '',
        tags: p['project/tags'] ?? [],
        customFields: fieldsOf(p['project/custom-fields']),
      },
      code,
    ),
  );
  report.count('project');
  const entries: BomEntryInput[] = [];
  for (const [i, e] of (p['project/entries'] ?? []).entries()) {
    const partId = e['entry/part-id'];
    const label = `${id} project/entries.${i}`;
    const name = e['entry/name'] ?? '';
    if (!partId) {
      report.skip(
        'bom',
        label,
        name,
        'no part: PartsBox keeps BOM lines it could not match, a Tracelot BOM entry is of a part',
      );
      continue;
    }
    if (!partIds.has(partId)) {
      report.skip('bom', label, name, `part ${partId} is not in part.json`);
      continue;
    }
    entries.push({
      part: report.code('part', partId),
      quantity: e['entry/quantity'],
      dnp: e['entry/quantity'] === 0,
      designators: e['entry/designators'] ?? [],
      comments: [e['entry/name'], e['entry/comments']].filter(Boolean).join(': ').slice(0, 2000),
    });
  }
  if (entries.length === 0) return;
  await at(`project.json: project ${id}: project/entries`, () =>
    replaceBom(ctx, actor, code, { entries }),
  );
  report.count('bom', entries.length);
}
