import type { Context } from '../context.js';
import { AmbiguousCodeError, NotFoundError, ValidationError } from '../domain/errors.js';
import { showControlCharacters, type DistributorScan } from '../domain/scan/distributor-fields.js';
import { GS1_AIS } from '../domain/scan/gs1.js';
import { recogniseScan, type RecognisedScan } from '../domain/scan/scan.js';
import { partOfLabel, resolve, resolveGs1, toResolved } from './resolve.service.js';
import type { Resolved } from './resolve.schemas.js';
import type { Receipt, ScanResult } from './scan.schemas.js';

/**
 * Everything the scan box can tell about a scanned text: what it was recognised as, the fields
 * read from it, the object it names, and for a distributor's bag label the receipt to pre-fill.
 * Never an error for what was scanned: a text that names nothing says why in `message`.
 */
export async function scan(ctx: Context, text: string): Promise<ScanResult> {
  const visible = showControlCharacters(text);
  let recognised: RecognisedScan | null;
  try {
    recognised = recogniseScan(text);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Text that declares itself GS1 but is malformed: a UDI read wrongly is never matched.
    return { text: visible, recognised: 'gs1', fields: [], warnings: [], message: error.message };
  }
  if (recognised?.kind === 'distributor') return scanLabel(ctx, visible, recognised.scan);
  if (recognised?.kind === 'gs1') {
    const fields = recognised.gs1.elements.map(({ ai, value }) => ({
      id: ai,
      label: GS1_AIS.get(ai)?.title ?? `AI ${ai}`,
      value,
    }));
    const gs1 = recognised.gs1;
    return lookUp({ text: visible, recognised: 'gs1', fields, warnings: [] }, () =>
      resolveGs1(ctx, gs1),
    );
  }
  const found = await lookUp({ text: visible, recognised: 'code', fields: [], warnings: [] }, () =>
    resolve(ctx, text),
  );
  if (found.resolved?.matchedBy === 'serial') return { ...found, recognised: 'serial' };
  if (found.resolved || found.candidates) return found;
  return {
    ...found,
    recognised: 'none',
    message:
      found.message ??
      `not recognised: '${visible}' is no code, serial, GS1 data or distributor label`,
  };
}

/**
 * `base` with what `find` names: the object, the candidates of an ambiguous text, or why nothing
 * was found (`message`; a ValidationError — text that is no code — leaves it for the caller).
 */
async function lookUp(base: ScanResult, find: () => Promise<Resolved>): Promise<ScanResult> {
  try {
    return { ...base, resolved: await find() };
  } catch (error) {
    if (error instanceof AmbiguousCodeError)
      return { ...base, candidates: error.candidates, message: error.message };
    if (error instanceof NotFoundError) return { ...base, message: error.reason };
    if (error instanceof ValidationError && base.recognised === 'code') return base;
    throw error;
  }
}

async function scanLabel(
  ctx: Context,
  visible: string,
  label: DistributorScan,
): Promise<ScanResult> {
  const part = await partOfLabel(ctx, label);
  const receipt: Receipt = {
    ...(part && { part: { code: part.code, name: part.name } }),
    ...defined({
      quantity: label.quantity,
      vendorLot: label.lot,
      dateCode: label.dateCode,
      orderReference: label.orderNumber ?? label.customerPo,
      countryOfOrigin: label.countryOfOrigin,
      mpn: label.mpn,
      supplierPartNumber: label.supplierPartNumber,
      manufacturer: label.manufacturer,
      supplier: label.distributor,
    }),
  };
  const named = [
    label.supplierPartNumber && `supplier part number ${label.supplierPartNumber}`,
    label.mpn && `MPN ${label.mpn}`,
  ].filter(Boolean);
  return {
    text: visible,
    recognised: label.format,
    fields: label.fields,
    ...(part && {
      resolved: toResolved({ kind: 'part', code: part.code, name: part.name }, 'label'),
    }),
    receipt,
    warnings: label.warnings,
    ...(!part && {
      message: named.length
        ? `no part (or more than one) with the ${named.join(' or the ')}: choose the part to receive`
        : 'the label names no part: choose the part to receive',
    }),
  };
}

function defined<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v)) as Partial<T>;
}
