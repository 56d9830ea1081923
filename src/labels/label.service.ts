import { loadAttributes } from '../attributes/attribute.repository.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { LABEL_MEDIA, labelsPerPage } from '../domain/label-media.js';
import {
  defaultTemplate,
  validateLabelTemplate,
  type LabelData,
  type LabelTemplate as LabelDefinition,
} from '../domain/label-template.js';
import type { Actor } from '../domain/roles.js';
import { gs1HumanReadable, udiElements } from '../domain/scan/gs1.js';
import { unitLabel } from '../domain/unit-label.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { findByCode } from '../resolver/resolve.repository.js';
import { renderLabelsPdf } from './label-pdf.js';
import { renderLabelsZpl } from './label-zpl.js';
import {
  findLabelTemplateByName,
  findLabelTemplateRow,
  insertLabelTemplate,
  kindsOf,
  latestSerials,
  listLabelTemplateRows,
  lotLabelRows,
  unitsOfBuild,
  unitsOfShipment,
  updateLabelTemplateRow,
  type LabelTemplateRow,
  type LotLabelRow,
} from './label.repository.js';
import {
  LabelTemplateCreate,
  LabelTemplateQuery,
  LabelTemplateUpdate,
  MAX_LABELS,
  PrintRequest,
  type LabelTemplate,
} from './label.schemas.js';

export async function createLabelTemplate(
  ctx: Context,
  actor: Actor,
  input: LabelTemplateCreate,
): Promise<LabelTemplate> {
  const { name, ...definition } = parseInput(LabelTemplateCreate, input);
  const checked = validateLabelTemplate(definition);
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    if (await findLabelTemplateByName(db, name)) throw nameTaken(name);
    await mapUniqueViolation(
      insertLabelTemplate(db, {
        code,
        name,
        definition: JSON.stringify(checked),
        archived: 0,
        created_at: at,
        updated_at: at,
      }),
      'label_template_name',
      () => nameTaken(name),
    );
    await appendHistory(db, actor, at, [{ subjectCode: code, type: 'created', data: { name } }]);
  });
  return getLabelTemplate(ctx, code);
}

const nameTaken = (name: string) =>
  new ConflictError(`a label template named '${name}' exists already`, 'name');

/** By code (any forgiving form) or by name; throws NotFoundError. */
export async function getLabelTemplate(ctx: Context, ref: string): Promise<LabelTemplate> {
  return toTemplate(await getTemplateRow(ctx, ref));
}

async function getTemplateRow(ctx: Context, ref: string, field = 'template') {
  const byName = await findLabelTemplateByName(ctx.db, ref.trim());
  if (byName) return byName;
  let code: string;
  try {
    code = parseCode(ref, field);
  } catch {
    throw new NotFoundError('label template', ref, field);
  }
  const row = await findLabelTemplateRow(ctx.db, code);
  if (!row) throw new NotFoundError('label template', ref, field);
  return row;
}

export async function listLabelTemplates(
  ctx: Context,
  query: { archived?: 'true' | 'false' | 'any' },
): Promise<LabelTemplate[]> {
  const { archived } = parseInput(LabelTemplateQuery, query);
  const rows = await listLabelTemplateRows(
    ctx.db,
    archived === 'any' ? undefined : archived === 'true',
  );
  return rows.map(toTemplate);
}

export async function updateLabelTemplate(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: LabelTemplateUpdate,
): Promise<LabelTemplate> {
  const { name, archived, ...changes } = parseInput(LabelTemplateUpdate, input);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getTemplateRow(withDb(ctx, db), ref, 'code');
    const before = JSON.parse(row.definition) as LabelDefinition;
    const definition = JSON.stringify(validateLabelTemplate({ ...before, ...changes }));
    const set: Partial<LabelTemplateRow> = {};
    const data: Record<string, unknown> = {};
    if (name !== undefined && name !== row.name) {
      const other = await findLabelTemplateByName(db, name);
      if (other && other.code !== row.code) throw nameTaken(name);
      set.name = name;
      data.name = { from: row.name, to: name };
    }
    if (definition !== row.definition) {
      set.definition = definition;
      data.definition = { from: before, to: JSON.parse(definition) };
    }
    const events = [];
    if (Object.keys(data).length) events.push({ subjectCode: row.code, type: 'updated', data });
    if (archived !== undefined && (archived ? 1 : 0) !== row.archived) {
      set.archived = archived ? 1 : 0;
      events.push({ subjectCode: row.code, type: archived ? 'archived' : 'restored', data: {} });
    }
    if (events.length === 0) return row.code;
    const at = now(ctx);
    await mapUniqueViolation(
      updateLabelTemplateRow(db, row.code, { ...set, updated_at: at }),
      'label_template_name',
      () => nameTaken(name!),
    );
    await appendHistory(db, actor, at, events as Parameters<typeof appendHistory>[3]);
    return row.code;
  });
  return getLabelTemplate(ctx, code);
}

function toTemplate(row: LabelTemplateRow): LabelTemplate {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    name: row.name,
    ...(JSON.parse(row.definition) as LabelDefinition),
    archived: row.archived === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The media presets, each with the layout a template on it starts from. */
export function listLabelMedia() {
  return LABEL_MEDIA.map((m) => ({
    id: m.id,
    name: m.name,
    kind: m.kind,
    widthMm: m.widthMm,
    heightMm: m.heightMm,
    labelsPerPage: labelsPerPage(m),
    defaultTemplate: defaultTemplate(m.id),
  }));
}

export interface PrintedLabels {
  contentType: string;
  body: Buffer | string;
  fileName: string;
  count: number;
}

/**
 * Labels for units, lots and other objects, as a PDF or ZPL. `baseUrl` starts the page URLs the
 * symbols carry (`<baseUrl>/c/<code>`), so that any phone camera opens the unit page.
 */
export async function printLabels(
  ctx: Context,
  input: PrintRequest,
  baseUrl: string,
): Promise<PrintedLabels> {
  const request = parseInput(PrintRequest, input);
  const template = request.template
    ? validateLabelTemplate(await getTemplateRow(ctx, request.template).then(definitionOf))
    : defaultTemplate(request.media ?? 'tape-62x29', request.symbology ?? 'datamatrix');
  const codes = request.codes.map((ref, i) => parseCode(ref, `codes[${i}]`));
  if (request.build) codes.push(...(await unitsOf(ctx, request.build, 'build')));
  if (request.shipment) codes.push(...(await unitsOf(ctx, request.shipment, 'shipment')));
  if (codes.length === 0)
    throw new ValidationError('codes', 'name what to label: codes, a build or a shipment');
  if (codes.length > MAX_LABELS)
    throw new ValidationError('codes', `at most ${MAX_LABELS} labels at once, not ${codes.length}`);
  const labels = await labelData(ctx, codes, baseUrl.replace(/\/+$/, ''));
  if (template.symbology === 'gs1datamatrix') {
    const i = labels.findIndex((l) => !l.gs1);
    if (i >= 0)
      throw new ValidationError(
        request.codes.length > i ? `codes[${i}]` : 'codes',
        `${labels[i]!.shortCode}: a UDI label needs a lot of a part with a GTIN`,
      );
  }
  const stem = `labels-${labels.length}`;
  if (request.format === 'zpl')
    return {
      contentType: 'text/plain; charset=utf-8',
      body: renderLabelsZpl(template, labels, { dpi: request.dpi }),
      fileName: `${stem}.zpl`,
      count: labels.length,
    };
  return {
    contentType: 'application/pdf',
    body: await renderLabelsPdf(template, labels, {
      ...(request.startPosition !== undefined && { startPosition: request.startPosition }),
    }),
    fileName: `${stem}.pdf`,
    count: labels.length,
  };
}

const definitionOf = (row: LabelTemplateRow): unknown => JSON.parse(row.definition);

async function unitsOf(ctx: Context, ref: string, kind: 'build' | 'shipment'): Promise<string[]> {
  const code = parseCode(ref, kind);
  if ((await kindsOf(ctx.db, [code])).get(code) !== kind) throw new NotFoundError(kind, code, kind);
  const units =
    kind === 'build' ? await unitsOfBuild(ctx.db, code) : await unitsOfShipment(ctx.db, code);
  if (units.length === 0)
    throw new ValidationError(kind, `the ${kind} ${shortCode(code)} has no units to label`);
  return units;
}

/** What each label shows, in the order of `codes`. */
async function labelData(ctx: Context, codes: string[], baseUrl: string): Promise<LabelData[]> {
  const unique = [...new Set(codes)];
  const kinds = await kindsOf(ctx.db, unique);
  const missing = codes.findIndex((c) => !kinds.has(c));
  if (missing >= 0) throw new NotFoundError('object', codes[missing]!, `codes[${missing}]`);
  const lotCodes = unique.filter((c) => kinds.get(c) === 'lot');
  const [lots, serials, attributes] = await Promise.all([
    lotLabelRows(ctx.db, lotCodes),
    latestSerials(ctx.db, lotCodes),
    loadAttributes(ctx.db, lotCodes),
  ]);
  const byCode = new Map<string, LabelData>();
  for (const lot of lots) {
    const serial = serials.get(lot.code);
    byCode.set(lot.code, {
      ...basics(lot.code, baseUrl),
      partName: lot.part_name,
      mpn: lot.mpn,
      ...(unitLabel(lot) && { buildSerial: unitLabel(lot)! }),
      ...(serial && { customerSerial: serial }),
      ...(lot.name && { lotName: lot.name }),
      customFields: attributes.get(lot.code)?.customFields ?? {},
      date: lot.created_at.slice(0, 10),
      ...(lot.gtin && { gs1: udiOf(lot, serial) }),
    });
  }
  // Parts, locations, builds, …: their code and name.
  for (const code of unique.filter((c) => kinds.get(c) !== 'lot')) {
    const match = await findByCode(ctx.db, code);
    byCode.set(code, { ...basics(code, baseUrl), partName: match?.name ?? '' });
  }
  return codes.map((c) => byCode.get(c)!);
}

function basics(code: string, baseUrl: string) {
  return { code, shortCode: shortCode(code), url: `${baseUrl}/c/${code}` };
}

/**
 * A unit's UDI: (01) its part's GTIN, (11) the day it was made, (17) its expiry, (10) its build
 * (the production lot) or lot name, (21) its customer serial — or, without one that GS1 allows,
 * the first 20 characters of its code, which the resolver finds again as a code prefix.
 */
function udiOf(lot: LotLabelRow, serial: string | undefined): string {
  const lotNumber = lot.build_code ? shortCode(lot.build_code) : lot.name || undefined;
  const base = {
    gtin: lot.gtin!,
    productionDate: lot.created_at.slice(0, 10),
    ...(lot.expiry && { expiry: lot.expiry }),
  };
  const attempt = (extra: { lot?: string; serial?: string }) => {
    try {
      return udiElements({ ...base, ...extra });
    } catch (error) {
      if (error instanceof ValidationError) return undefined;
      throw error;
    }
  };
  const fallbackSerial = lot.code.slice(0, 20);
  const elements =
    attempt({ lot: lotNumber, serial: serial ?? fallbackSerial }) ??
    attempt({ serial: serial ?? fallbackSerial }) ??
    attempt({ serial: fallbackSerial })!;
  return gs1HumanReadable(elements);
}
