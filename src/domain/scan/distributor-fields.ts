/**
 * Distributor bag labels: ISO/IEC 15434 envelopes with ANSI MH10.8.2 data identifiers
 * (Digi-Key, Mouser and other ECIA labels), LCSC QR codes, TME QR and DataMatrix codes.
 * The shape every parser returns, and the helpers they share.
 */
export interface DistributorField {
  /** The data identifier or key as read: `1P`, `Q`, `pc`, `MPN`, … */
  id: string;
  label: string;
  value: string;
}

export interface DistributorScan {
  format: 'iso15434' | 'lcsc' | 'tme';
  /** 'Digi-Key', 'Mouser', 'LCSC', 'TME' when recognisable. */
  distributor?: string;
  /** The distributor's own part number (Digi-Key, LCSC `C…`, TME symbol). */
  supplierPartNumber?: string;
  mpn?: string;
  manufacturer?: string;
  description?: string;
  /** A decimal string, e.g. `10` or `2.5`. */
  quantity?: string;
  lot?: string;
  dateCode?: string;
  countryOfOrigin?: string;
  customerPo?: string;
  orderNumber?: string;
  lineItem?: string;
  /** Every field read, in order. */
  fields: DistributorField[];
  /** What was guessed or looks wrong, for the person scanning. */
  warnings: string[];
}

/** Control characters made visible: `[)>\x1e06\x1d…` → `[)>␞06␝…`. */
export function showControlCharacters(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // U+2400 CONTROL PICTURES holds one symbol per C0 control character, and ␡ for DEL.
    out += c < 0x20 ? String.fromCharCode(0x2400 + c) : c === 0x7f ? '␡' : text[i];
  }
  return out;
}

/** A decimal string, leading zeros dropped (`0010` → `10`), or undefined with a warning. */
export function readQuantity(value: string | undefined, warnings: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}(?:\.\d{1,9})?$/.test(value)) {
    warnings.push(`quantity '${showControlCharacters(value)}' is not a number`);
    return undefined;
  }
  return value.replace(/^0+(?=\d)/, '');
}

/** Sets only the defined, non-empty values: scans carry no `undefined` keys. */
export function assignDefined(scan: DistributorScan, values: Partial<DistributorScan>): void {
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '')
      (scan as unknown as Record<string, unknown>)[key] = value;
}
