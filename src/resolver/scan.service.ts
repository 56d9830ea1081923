import type { Context } from '../context.js';
import { AmbiguousCodeError, NotFoundError, ValidationError } from '../domain/errors.js';
import { showControlCharacters, type DistributorScan } from '../domain/scan/distributor-fields.js';
import { GS1_AIS, type Gs1Data } from '../domain/scan/gs1.js';
import { recogniseScan, type RecognisedScan } from '../domain/scan/scan.js';
import { partOfLabel, resolve, resolveGs1, toResolved } from './resolve.service.js';
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
  if (recognised?.kind === 'gs1') return scanGs1(ctx, visible, recognised.gs1);
  try {
    const resolved = await resolve(ctx, text);
    return {
      text: visible,
      recognised: resolved.matchedBy === 'serial' ? 'serial' : 'code',
      fields: [],
      resolved,
      warnings: [],
    };
  } catch (error) {
    if (error instanceof AmbiguousCodeError)
      return {
        text: visible,
        recognised: 'code',
        fields: [],
        candidates: error.candidates,
        warnings: [],
        message: error.message,
      };
    if (!(error instanceof NotFoundError || error instanceof ValidationError)) throw error;
    return {
      text: visible,
      recognised: 'none',
      fields: [],
      warnings: [],
      message:
        error instanceof NotFoundError
          ? error.message.replace(/^q: /, '')
          : `not recognised: '${visible}' is no code, serial, GS1 data or distributor label`,
    };
  }
}

async function scanGs1(ctx: Context, visible: string, gs1: Gs1Data): Promise<ScanResult> {
  const fields = gs1.elements.map(({ ai, value }) => ({
    id: ai,
    label: GS1_AIS.get(ai)?.title ?? `AI ${ai}`,
    value,
  }));
  try {
    const { resolved } = await resolveGs1(ctx, gs1);
    return { text: visible, recognised: 'gs1', fields, resolved, warnings: [] };
  } catch (error) {
    if (error instanceof AmbiguousCodeError)
      return {
        text: visible,
        recognised: 'gs1',
        fields,
        candidates: error.candidates,
        warnings: [],
        message: error.message,
      };
    if (!(error instanceof NotFoundError)) throw error;
    return {
      text: visible,
      recognised: 'gs1',
      fields,
      warnings: [],
      message: error.message.replace(/^q: /, ''),
    };
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
