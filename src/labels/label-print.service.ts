import { loadAttributes } from '../attributes/attribute.repository.js';
import type { Context } from '../context.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import {
  defaultTemplate,
  validateLabelTemplate,
  type LabelData,
  type LabelTemplate,
} from '../domain/label-template.js';
import { gs1HumanReadable, UDI_TEXT_MAX, udiElements } from '../domain/scan/gs1.js';
import { objectUrl } from '../domain/object-url.js';
import { unitLabel } from '../domain/unit-label.js';
import { selectUnits, type UnitRef } from '../domain/unit-refs.js';
import { parseInput } from '../domain/validate.js';
import { listOutputs } from '../builds/build.repository.js';
import { findByCodes } from '../resolver/resolve.repository.js';
import { resolveUnitRefs } from '../resolver/unit-refs.service.js';
import { serialsOfLots } from '../serials/serial.repository.js';
import { listShipmentUnits } from '../shipments/shipment.repository.js';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { renderInThread, type LabelRenderer } from './label-render.js';
import { getLabelTemplateRow } from './label-template.service.js';
import { lotLabelRows, type LabelTemplateRow, type LotLabelRow } from './label.repository.js';
import { MAX_LABELS, PrintRequest } from './label.schemas.js';
import { parseJsonText } from '../db/json-text.js';

export interface PrintedLabels {
  contentType: string;
  /** The labels as they are drawn. */
  body: Readable;
  fileName: string;
  count: number;
}

/**
 * Labels for units, lots and other objects, as a PDF or ZPL. `baseUrl` starts the page URLs the
 * symbols carry (`<baseUrl>/c/<code>`), so that any phone camera opens the unit page. The
 * server's `renderer` draws them in worker threads; resolved, every label has been laid out.
 */
export async function printLabels(
  ctx: Context,
  input: PrintRequest,
  baseUrl: string,
  renderer: LabelRenderer = renderInThread,
): Promise<PrintedLabels> {
  const request = parseInput(PrintRequest, input);
  const { template, labels } = await prepareLabels(ctx, request, baseUrl);
  const stem = `labels-${labels.length}`;
  if (request.format === 'zpl')
    return {
      contentType: 'text/plain; charset=utf-8',
      body: await renderer.render({ format: 'zpl', template, labels, dpi: request.dpi }),
      fileName: `${stem}.zpl`,
      count: labels.length,
    };
  return {
    contentType: 'application/pdf',
    body: await renderer.render({
      format: 'pdf',
      template,
      labels,
      ...(request.startPosition !== undefined && { startPosition: request.startPosition }),
    }),
    fileName: `${stem}.pdf`,
    count: labels.length,
  };
}

/** A print request's template and what each label shows, checked: the work before drawing. */
export interface PreparedLabels {
  template: LabelTemplate;
  /** The template's code; none for a media's default layout. */
  templateCode: string | undefined;
  labels: LabelData[];
}

/**
 * What a print request labels, resolved and checked: codes, a build's units, a shipment's.
 * Throws ValidationError naming the field for anything that would not print.
 */
export async function prepareLabels(
  ctx: Context,
  request: Pick<
    z.output<typeof PrintRequest>,
    'template' | 'media' | 'symbology' | 'codes' | 'build' | 'units' | 'shipment'
  >,
  baseUrl: string,
): Promise<PreparedLabels> {
  const templateRow = request.template
    ? await getLabelTemplateRow(ctx, request.template)
    : undefined;
  const template = templateRow
    ? validateLabelTemplate(definitionOf(templateRow))
    : defaultTemplate(request.media ?? 'tape-62x29', request.symbology ?? 'datamatrix');
  const codes = request.codes.map((ref, i) => parseCode(ref, `codes[${i}]`));
  if (request.units && !request.build)
    throw new ValidationError('units', 'units are named within a build: give build too');
  if (request.build) codes.push(...(await unitsOf(ctx, request.build, 'build', request.units)));
  if (request.shipment) codes.push(...(await unitsOf(ctx, request.shipment, 'shipment')));
  if (codes.length === 0)
    throw new ValidationError('codes', 'name what to label: codes, a build or a shipment');
  if (codes.length > MAX_LABELS)
    throw new ValidationError('codes', `at most ${MAX_LABELS} labels at once, not ${codes.length}`);
  const labels = await labelData(ctx, codes, baseUrl);
  if (template.symbology === 'gs1datamatrix') {
    const i = labels.findIndex((l) => !l.gs1);
    if (i >= 0)
      throw new ValidationError(
        request.codes.length > i ? `codes[${i}]` : 'codes',
        `${labels[i]!.shortCode}: a UDI label needs a lot of a part with a GTIN`,
      );
  }
  return { template, templateCode: templateRow?.code, labels };
}

const definitionOf = (row: LabelTemplateRow) => parseJsonText(row.definition);

async function unitsOf(
  ctx: Context,
  ref: string,
  kind: 'build' | 'shipment',
  refs?: UnitRef[],
): Promise<string[]> {
  const code = parseCode(ref, kind);
  const [found] = await findByCodes(ctx.db, [code]);
  if (found?.kind !== kind) throw new NotFoundError(kind, code, kind);
  if (kind === 'shipment') {
    const units = (await listShipmentUnits(ctx.db, code)).map((u) => u.lot_code);
    if (units.length === 0) throw new ValidationError(kind, 'the shipment has no units');
    return units;
  }
  const units = (await listOutputs(ctx.db, code)).filter((u) => u.build_serial !== null);
  if (units.length === 0)
    throw new ValidationError(kind, `the build ${shortCode(code)} has no units to label`);
  return (refs ? selectUnits(units, await resolveUnitRefs(ctx, refs)) : units).map((u) => u.code);
}

/** What each label shows, in the order of `codes`. */
async function labelData(ctx: Context, codes: string[], baseUrl: string): Promise<LabelData[]> {
  const unique = [...new Set(codes)];
  const found = await findByCodes(ctx.db, unique);
  const kinds = new Map(found.map((m) => [m.code, m.kind]));
  const missing = codes.findIndex((c) => !kinds.has(c));
  if (missing >= 0) throw new NotFoundError('object', codes[missing]!, `codes[${missing}]`);
  const lotCodes = unique.filter((c) => kinds.get(c) === 'lot');
  const [lots, serials, attributes] = await Promise.all([
    lotLabelRows(ctx.db, lotCodes),
    serialsOfLots(ctx.db, lotCodes),
    loadAttributes(ctx.db, lotCodes),
  ]);
  const byCode = new Map<string, LabelData>();
  for (const lot of lots) {
    // A unit may carry serials of several formats: the label shows the latest given.
    const serial = serials.get(lot.code)?.at(-1);
    const buildSerial = unitLabel(lot);
    byCode.set(lot.code, {
      ...basics(lot.code, baseUrl),
      partName: lot.part_name,
      mpn: lot.mpn,
      ...(buildSerial && { buildSerial }),
      ...(serial && { customerSerial: serial }),
      ...(lot.name && { lotName: lot.name }),
      customFields: attributes.get(lot.code)?.customFields ?? {},
      date: lot.created_at.slice(0, 10),
      ...(lot.gtin && { gs1: udiOf(lot, serial) }),
    });
  }
  // Parts, locations, builds, …: their code and name.
  for (const match of found.filter((m) => m.kind !== 'lot'))
    byCode.set(match.code, { ...basics(match.code, baseUrl), partName: match.name });
  return codes.map((c) => byCode.get(c)!);
}

function basics(code: string, baseUrl: string) {
  return { code, shortCode: shortCode(code), url: objectUrl(baseUrl, code) };
}

/**
 * A unit's UDI: (01) its part's GTIN, (11) the day it was made, (17) its expiry, (10) its build
 * (the production lot) or lot name, (21) its customer serial — or, without one that GS1 allows,
 * the first 20 characters of its code, which the resolver finds again as a code prefix.
 */
export function udiOf(lot: LotLabelRow, serial: string | undefined): string {
  const lotNumber = lot.build_code ? shortCode(lot.build_code) : lot.name || undefined;
  const base = {
    gtin: lot.gtin!,
    productionDate: lot.created_at.slice(0, 10),
    ...(lot.expiry && { expiry: lot.expiry }),
  };
  const attempt = (extra: { lot?: string; serial?: string }) => {
    // GS1 allows parentheses in values, but the bracketed form the renderers read cannot hold
    // them: such a value falls back like any other that GS1 refuses.
    if (/[()]/.test(`${extra.lot ?? ''}${extra.serial ?? ''}`)) return undefined;
    try {
      return udiElements({ ...base, ...extra });
    } catch (error) {
      if (error instanceof ValidationError) return undefined;
      throw error;
    }
  };
  const fallbackSerial = lot.code.slice(0, UDI_TEXT_MAX);
  const elements =
    attempt({ lot: lotNumber, serial: serial ?? fallbackSerial }) ??
    attempt({ serial: serial ?? fallbackSerial }) ??
    attempt({ serial: fallbackSerial })!;
  return gs1HumanReadable(elements);
}
