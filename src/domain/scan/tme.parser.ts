import {
  assignDefined,
  readQuantity,
  type DistributorField,
  type DistributorScan,
} from './distributor-fields.js';

/**
 * TME codes. QR: `QTY:1 PN:WBP-302 PO:19361337/1 CPO:… MFR:WISHERENTERPRISE MPN:WBP-302 RoHS
 * https://www.tme.eu/details/WBP-302`. Older DataMatrix: ECIA data identifiers separated by
 * spaces, `PWBP-302 1PMPNWBP-302 Q1 K19361337/1`, some with the country of origin before the
 * order (`Q100 4LCN K…`). TME's order numbers read `order/position`.
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
  '4L': 'Country of origin',
  K: 'TME order number/position',
};

/**
 * A DataMatrix code whose spaces a scanner dropped: `P…1P…Q…[4L…]K…`. Read from the end, where
 * the values are plain: order/position, the country's two letters, the quantity's digits (a
 * regex backtracks so that `Q254LMY` is 25 and MY); the MPN may hold `Q1` itself.
 */
const JOINED_TAIL = /Q(\d{1,9})(?:4L([A-Z]{2}))?K(\d+(?:\/\d+)?)$/;

export function parseTme(text: string): DistributorScan | null {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 1) return readJoined(tokens[0]!);
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
    const id = /^(?:1P|P|Q|4L|K)/.exec(token)?.[0];
    if (id === undefined) return null;
    fields.push({ id, label: DATAMATRIX_LABELS[id]!, value: token.slice(id.length) });
  }
  const value = (id: string) => fields.find((f) => f.id === id)?.value;
  if (value('P') === undefined || value('Q') === undefined) return null;
  return dataMatrixScan(fields);
}

function dataMatrixScan(fields: DistributorField[], warnings: string[] = []): DistributorScan {
  const value = (id: string) => fields.find((f) => f.id === id)?.value;
  return tmeScan(
    fields,
    {
      supplierPartNumber: value('P'),
      mpn: value('1P'),
      quantity: value('Q'),
      countryOfOrigin: value('4L'),
      order: value('K'),
    },
    warnings,
  );
}

function readJoined(text: string): DistributorScan | null {
  if (!text.startsWith('P')) return null;
  const tail = JOINED_TAIL.exec(text);
  if (!tail) return null;
  const head = text.slice(1, tail.index);
  // The TME symbol and the MPN meet at a `1P`; often they are the same text, so the middle
  // `1P` that halves the rest equally wins, else the first one.
  const middle = (head.length - 2) / 2;
  const cut =
    head.slice(middle, middle + 2) === '1P' && head.slice(0, middle) === head.slice(middle + 2)
      ? middle
      : head.indexOf('1P');
  if (cut <= 0 || cut + 2 >= head.length) return null;
  const [, quantity, country, order] = tail as unknown as [
    string,
    string,
    string | undefined,
    string,
  ];
  const values: [string, string][] = [
    ['P', head.slice(0, cut)],
    ['1P', head.slice(cut + 2)],
    ['Q', quantity],
    ...(country ? [['4L', country] as [string, string]] : []),
    ['K', order],
  ];
  return dataMatrixScan(
    values.map(([id, value]) => ({ id, label: DATAMATRIX_LABELS[id]!, value })),
    [
      'the spaces between the fields were lost: split at P, 1P, Q, 4L and K as TME prints them (a guess; check the values)',
    ],
  );
}

type TmeValues =
  | 'supplierPartNumber'
  | 'mpn'
  | 'manufacturer'
  | 'quantity'
  | 'customerPo'
  | 'countryOfOrigin'
  | 'order';

function tmeScan(
  fields: DistributorField[],
  v: Partial<Record<TmeValues, string>>,
  warnings: string[] = [],
): DistributorScan {
  const scan: DistributorScan = { format: 'tme', distributor: 'TME', fields, warnings };
  const slash = v.order?.indexOf('/') ?? -1;
  assignDefined(scan, {
    supplierPartNumber: v.supplierPartNumber,
    mpn: v.mpn,
    manufacturer: v.manufacturer,
    quantity: readQuantity(v.quantity, warnings),
    customerPo: v.customerPo,
    countryOfOrigin: v.countryOfOrigin,
    orderNumber: slash >= 0 ? v.order!.slice(0, slash) : v.order,
    lineItem: slash >= 0 ? v.order!.slice(slash + 1) : undefined,
  });
  return scan;
}
