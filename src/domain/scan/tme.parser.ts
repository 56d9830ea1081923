import {
  assignDefined,
  readQuantity,
  type DistributorField,
  type DistributorScan,
} from './distributor-fields.js';

/**
 * TME codes. QR: `QTY:1 PN:WBP-302 PO:19361337/1 CPO:… MFR:WISHERENTERPRISE MPN:WBP-302 RoHS
 * https://www.tme.eu/details/WBP-302`. Older DataMatrix: ECIA data identifiers separated by
 * spaces, `PWBP-302 1PMPNWBP-302 Q1 K19361337/1`. TME's order numbers read `order/position`.
 */
const QR_LABELS: Record<string, string> = {
  QTY: 'Quantity',
  PN: 'TME part number',
  PO: 'TME order number/position',
  CPO: 'Customer PO number',
  MFR: 'Manufacturer',
  MPN: 'Manufacturer part number',
};

const DATAMATRIX_LABELS: Record<string, string> = {
  P: 'TME part number',
  '1P': 'Manufacturer part number',
  Q: 'Quantity',
  K: 'TME order number/position',
};

export function parseTme(text: string): DistributorScan | null {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  return readQr(tokens) ?? readDataMatrix(tokens);
}

function readQr(tokens: string[]): DistributorScan | null {
  const fields: DistributorField[] = [];
  let known = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const pair = /^([A-Z]{2,4}):(.*)$/s.exec(token);
    if (pair) {
      const [, key, rest] = pair as unknown as [string, string, string];
      let value = rest;
      // `QTY: 1`: a space after the colon.
      if (value === '' && i + 1 < tokens.length && !/^[A-Z]{2,4}:/.test(tokens[i + 1]!))
        value = tokens[++i]!;
      if (QR_LABELS[key]) known++;
      fields.push({ id: key, label: QR_LABELS[key] ?? `Field ${key}`, value });
    } else if (/^https?:\/\//i.test(token)) {
      fields.push({ id: 'URL', label: 'Product page', value: token });
    } else if (token === 'RoHS') {
      fields.push({ id: 'RoHS', label: 'RoHS compliant', value: 'yes' });
    } else {
      const last = fields.at(-1);
      if (!last || last.id === 'URL' || last.id === 'RoHS') return null;
      last.value += ` ${token}`;
    }
  }
  const url = fields.find((f) => f.id === 'URL')?.value ?? '';
  if (known < 2 && !(known >= 1 && /tme\.eu/i.test(url))) return null;
  const value = (id: string) => fields.find((f) => f.id === id)?.value;
  return tmeScan(fields, {
    supplierPartNumber: value('PN'),
    mpn: value('MPN'),
    manufacturer: value('MFR'),
    quantity: value('QTY'),
    customerPo: value('CPO'),
    order: value('PO'),
  });
}

function readDataMatrix(tokens: string[]): DistributorScan | null {
  if (tokens.length < 3) return null;
  const fields: DistributorField[] = [];
  for (const token of tokens) {
    const id = /^(?:1P|P|Q|K)/.exec(token)?.[0];
    if (id === undefined) return null;
    fields.push({ id, label: DATAMATRIX_LABELS[id]!, value: token.slice(id.length) });
  }
  const value = (id: string) => fields.find((f) => f.id === id)?.value;
  if (value('P') === undefined || value('Q') === undefined) return null;
  return tmeScan(fields, {
    supplierPartNumber: value('P'),
    mpn: value('1P'),
    quantity: value('Q'),
    order: value('K'),
  });
}

function tmeScan(
  fields: DistributorField[],
  v: Partial<
    Record<
      'supplierPartNumber' | 'mpn' | 'manufacturer' | 'quantity' | 'customerPo' | 'order',
      string
    >
  >,
): DistributorScan {
  const warnings: string[] = [];
  const scan: DistributorScan = { format: 'tme', distributor: 'TME', fields, warnings };
  const slash = v.order?.indexOf('/') ?? -1;
  assignDefined(scan, {
    supplierPartNumber: v.supplierPartNumber,
    mpn: v.mpn,
    manufacturer: v.manufacturer,
    quantity: readQuantity(v.quantity, warnings),
    customerPo: v.customerPo,
    orderNumber: slash >= 0 ? v.order!.slice(0, slash) : v.order,
    lineItem: slash >= 0 ? v.order!.slice(slash + 1) : undefined,
  });
  return scan;
}
