import {
  assignDefined,
  readQuantity,
  showControlCharacters,
  type DistributorField,
  type DistributorScan,
} from './distributor-fields.js';

/**
 * ISO/IEC 15434 format 06 envelopes with ANSI MH10.8.2 data identifiers, as ECIA EIGP 114
 * labels carry them: `[)>` RS `06` GS `field` GS `field` … RS EOT, each field a data identifier
 * (up to three digits and a capital letter) followed by its value.
 */
const RS = '\x1e';
const GS = '\x1d';
const EOT = '\x04';

/** Data identifier meanings (ANSI MH10.8.2, ECIA EIGP 114.2018). */
const LABELS: Record<string, string> = {
  K: 'Customer PO number',
  '1K': 'Supplier order number',
  '4K': 'Customer PO line',
  '10K': 'Invoice number',
  '11K': 'Packing list number',
  '14K': 'Customer PO line',
  P: 'Customer part number',
  '1P': 'Supplier part number (manufacturer part number)',
  '2P': 'Revision',
  '30P': 'Supplier part number',
  '33P': 'Bin code',
  Q: 'Quantity',
  '7Q': 'Weight',
  '13Q': 'Package count',
  '6D': 'Ship date',
  '9D': 'Date code (YYWW)',
  '10D': 'Date code (YYWW)',
  '1T': 'Lot code',
  '4L': 'Country of origin',
  S: 'Serial number',
  '3S': 'Package ID (intermediate label)',
  '4S': 'Package ID (logistic label)',
  '5S': 'Package ID (mixed logistic label)',
  '1V': 'Manufacturer',
  E: 'RoHS / compliance',
};

/** Digi-Key's own meanings (forum.digikey.com "DigiKey Product Labels - Decoding DigiKey Barcodes"). */
const DIGI_KEY_LABELS: Record<string, string> = {
  P: 'Customer reference (older labels: Digi-Key part number)',
  '30P': 'Digi-Key part number',
  '1K': 'Digi-Key sales order number',
  '11Z': 'Label type',
  '12Z': 'Digi-Key part ID',
  '13Z': 'Digi-Key load ID',
  '20Z': 'Padding',
};

/**
 * Field orders the distributors print, for labels whose separators a scanner dropped: the value
 * of each identifier runs up to the next one of the order found after it. Digi-Key from the
 * label explained on its forum and InvenTree's test strings; Mouser from InvenTree's.
 */
const FIELD_ORDERS: { distributor: string; ids: string[] }[] = [
  {
    distributor: 'Digi-Key',
    ids: [
      'P',
      '1P',
      '30P',
      'K',
      '1K',
      '10K',
      '9D',
      '10D',
      '1T',
      '11K',
      '4L',
      'Q',
      '11Z',
      '12Z',
      '13Z',
      '20Z',
    ],
  },
  { distributor: 'Mouser', ids: ['K', '14K', '1P', 'Q', '11K', '4L', '1V'] },
];

// Control characters as keyboard-wedge scanners and people type them. Alternatives of literal
// strings only, no quantifiers: one linear pass whatever the input.
const STAND_INS =
  /\{(?:RS|GS|EOT)\}|<(?:RS|GS|EOT)>|\[(?:RS|GS|EOT)\]|\\x1e|\\x1d|\\x04|\\u001e|\\u001d|\\u0004|␞|␝|␄|\^\^|\^\]|\^D/gi;

const MAY_HOLD_STAND_INS = /[{<\\␞␝␄^]|\[(?:RS|GS|EOT)\]/i;

function controlFor(standIn: string): string {
  const s = standIn.toUpperCase();
  if (s.includes('RS') || s.includes('1E') || s === '␞' || s === '^^') return RS;
  if (s.includes('GS') || s.includes('1D') || s === '␝' || s === '^]') return GS;
  return EOT;
}

const DATA_IDENTIFIER = /^\d{0,3}[A-Z]/;
const LOWER_CASE_IDENTIFIER = /^\d{0,3}[a-z]/;

export function parseIso15434(text: string): DistributorScan | null {
  const warnings: string[] = [];
  // Most scans hold real control characters: skip the replacing pass when nothing could match.
  const s = MAY_HOLD_STAND_INS.test(text) ? text.replace(STAND_INS, controlFor) : text;
  const header = s.indexOf('[)>');
  if (header < 0 || header > 2) return null;
  let at = header + 3;
  // RS, or whatever a scanner typed in its place.
  if (s[at] === RS || (s[at] !== undefined && s[at] !== '0' && /[^0-9A-Za-z]/.test(s[at]!))) at++;
  // Format 05 holds GS1 data (parseGs1 reads it); Tracelot reads no other format.
  if (s.slice(at, at + 2) !== '06') return null;
  at += 2;
  const next = s[at];
  if (next === undefined) return null;
  let separator: string | undefined;
  if (next === GS) separator = GS;
  else if (!/[0-9A-Za-z]/.test(next)) {
    separator = next;
    warnings.push(`fields are separated by '${showControlCharacters(next)}' instead of GS`);
  }
  let body = s.slice(separator === undefined ? at : at + 1);
  body = cutTrailer(body, separator, warnings);
  const fields =
    separator === undefined
      ? splitLost(body, warnings)
      : readFields(body.split(separator), warnings);
  return eciaScan(fields, warnings);
}

/** The data before RS EOT; what follows an end marker is reported, not read. */
function cutTrailer(body: string, separator: string | undefined, warnings: string[]): string {
  const eot = body.indexOf(EOT);
  if (eot >= 0) {
    if (body.slice(eot + 1).trim() !== '') warnings.push('ignored data after the end marker (EOT)');
    body = body.slice(0, eot);
  } else {
    warnings.push(
      'no end marker (RS EOT): if the label was read only in part, the last field may be cut short',
    );
  }
  if (separator === RS) return body;
  const rs = body.indexOf(RS);
  if (rs >= 0) {
    if (body.slice(rs + 1).trim() !== '') warnings.push('ignored a second record after RS');
    body = body.slice(0, rs);
  }
  return body;
}

function labelOf(id: string): string {
  return LABELS[id] ?? `Data identifier ${id}`;
}

function readFields(segments: string[], warnings: string[]): DistributorField[] {
  const fields: DistributorField[] = [];
  const lowered: string[] = [];
  for (const segment of segments) {
    if (segment === '') continue;
    let id = DATA_IDENTIFIER.exec(segment)?.[0];
    if (id === undefined) {
      id = upperCaseIdentifier(segment);
      if (id !== undefined) lowered.push(`${segment.slice(0, id.length)} → ${id}`);
    }
    if (id === undefined) {
      warnings.push(`'${showControlCharacters(segment)}' starts with no data identifier`);
      fields.push({ id: '', label: 'Text without a data identifier', value: segment });
    } else {
      fields.push({ id, label: labelOf(id), value: segment.slice(id.length) });
    }
  }
  if (lowered.length > 0)
    warnings.push(`data identifiers in lower case read as upper case: ${lowered.join(', ')}`);
  return fields;
}

/**
 * The identifier a segment starts with in lower case, as some keyboard wedges send it (`q4`):
 * identifiers are upper case only, so one the standard (or Digi-Key) defines is unambiguous.
 */
function upperCaseIdentifier(segment: string): string | undefined {
  const id = LOWER_CASE_IDENTIFIER.exec(segment)?.[0].toUpperCase();
  return id !== undefined && (id in LABELS || id in DIGI_KEY_LABELS) ? id : undefined;
}

/** Separators lost: splits by the field order that explains the text best, and says so. */
function splitLost(body: string, warnings: string[]): DistributorField[] {
  let best: { distributor: string; fields: DistributorField[]; score: number } | undefined;
  for (const order of FIELD_ORDERS) {
    const fields = splitByOrder(body, order.ids);
    if (!fields) continue;
    const score = fields.length - 10 * implausible(fields).length;
    if (!best || score > best.score) best = { distributor: order.distributor, fields, score };
  }
  if (!best || best.fields.length < 3) {
    warnings.push('the separators between fields were lost and the fields could not be told apart');
    return [{ id: '', label: 'Unsplit data', value: body }];
  }
  warnings.push(
    `the separators between fields were lost: split at the data identifiers in the order ${best.distributor} prints them (a guess; check the values)`,
  );
  for (const problem of implausible(best.fields)) warnings.push(problem);
  return best.fields;
}

function splitByOrder(body: string, ids: string[]): DistributorField[] | null {
  const fields: DistributorField[] = [];
  let at = 0;
  let from = 0;
  while (at < body.length) {
    let index = -1;
    for (let j = from; j < ids.length && index < 0; j++)
      if (body.startsWith(ids[j]!, at)) index = j;
    if (index < 0) return null;
    const id = ids[index]!;
    const start = at + id.length;
    let end = body.length;
    from = ids.length;
    for (let j = index + 1; j < ids.length; j++) {
      const found = body.indexOf(ids[j]!, start);
      if (found >= 0) {
        end = found;
        from = j;
        break;
      }
    }
    fields.push({ id, label: labelOf(id), value: body.slice(start, end) });
    at = end;
  }
  return fields;
}

/** Values that show a split went wrong. */
function implausible(fields: DistributorField[]): string[] {
  const problems: string[] = [];
  for (const f of fields) {
    if (f.id === 'Q' && !/^\d+(?:\.\d+)?$/.test(f.value))
      problems.push(`quantity '${f.value}' is not a number`);
    if (f.id === '4L' && !/^[A-Z]{2}$/.test(f.value))
      problems.push(`country of origin '${f.value}' is not a two-letter code`);
  }
  return problems;
}

function recogniseDistributor(value: (id: string) => string | undefined): string | undefined {
  if (['11Z', '12Z', '13Z', '20Z', '30P'].some((id) => value(id) !== undefined)) return 'Digi-Key';
  if (value('P')?.endsWith('-ND')) return 'Digi-Key';
  if (value('14K') !== undefined) return 'Mouser';
  return undefined;
}

function eciaScan(fields: DistributorField[], warnings: string[]): DistributorScan {
  const value = (id: string) => fields.find((f) => f.id === id)?.value;
  const distributor = recogniseDistributor(value);
  if (distributor === 'Digi-Key')
    for (const f of fields) f.label = DIGI_KEY_LABELS[f.id] ?? f.label;
  const scan: DistributorScan = { format: 'iso15434', fields, warnings };
  const p = value('P');
  assignDefined(scan, {
    distributor,
    supplierPartNumber:
      value('30P') ?? (distributor === 'Digi-Key' && p?.endsWith('-ND') ? p : undefined),
    mpn: value('1P'),
    manufacturer: value('1V'),
    quantity: readQuantity(value('Q'), warnings),
    lot: value('1T'),
    dateCode: value('9D') ?? value('10D'),
    countryOfOrigin: value('4L'),
    customerPo: value('K'),
    orderNumber: value('1K'),
    lineItem: value('4K') ?? value('14K'),
  });
  return scan;
}
