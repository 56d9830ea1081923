import {
  assignDefined,
  readQuantity,
  type DistributorField,
  type DistributorScan,
} from './distributor-fields.js';

/**
 * LCSC QR codes: `{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,
 * mc:,cc:1,pdi:34421807,hp:null,wc:JS}`. LCSC publishes no description; the keys below are read
 * from labels and from the field names other inventory tools use (InvenTree's LCSC plugin).
 */
const LABELS: Record<string, string> = {
  pbn: 'Pick batch number',
  on: 'LCSC order number',
  pc: 'LCSC part number',
  pm: 'Manufacturer part number',
  qty: 'Quantity',
  mc: 'mc (meaning unpublished)',
  cc: 'cc (meaning unpublished)',
  pdi: 'pdi (LCSC internal id)',
  hp: 'hp (meaning unpublished)',
  wc: 'Warehouse code',
};

export function parseLcsc(text: string): DistributorScan | null {
  const warnings: string[] = [];
  let body = text.slice(1);
  if (body.endsWith('}')) body = body.slice(0, -1);
  else warnings.push('no closing brace: the code may have been read only in part');
  const fields: DistributorField[] = [];
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    const key = colon < 0 ? '' : part.slice(0, colon).trim();
    if (!/^[a-z]{1,8}$/i.test(key)) {
      // A comma inside a value (a manufacturer part number may hold one).
      const last = fields.at(-1);
      if (!last) return null;
      last.value += `,${part}`;
      continue;
    }
    fields.push({ id: key, label: LABELS[key] ?? `Field ${key}`, value: part.slice(colon + 1) });
  }
  const value = (id: string) => fields.find((f) => f.id === id)?.value;
  if (value('pc') === undefined && value('pm') === undefined && value('pbn') === undefined)
    return null;
  const scan: DistributorScan = { format: 'lcsc', distributor: 'LCSC', fields, warnings };
  assignDefined(scan, {
    supplierPartNumber: value('pc'),
    mpn: value('pm'),
    quantity: readQuantity(value('qty'), warnings),
    orderNumber: value('on'),
  });
  return scan;
}
