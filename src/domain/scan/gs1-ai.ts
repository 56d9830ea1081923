import { ValidationError } from '../errors.js';
import { GS1_AI_TABLE } from './gs1-ai-table.js';

/**
 * The GS1 application identifiers (every one of GS1's table, from gs1-ai-table.ts) and the
 * checks of their values: length, character set, and the content checks Tracelot applies.
 */

export interface Gs1Component {
  /** N: digits; X: GS1 character set 82; Y: set 39; Z: base64url. */
  charset: 'N' | 'X' | 'Y' | 'Z';
  min: number;
  max: number;
  optional: boolean;
  linters: string[];
}

export interface Gs1Ai {
  ai: string;
  title: string;
  /** A predefined length: no FNC1 separator follows the value, even when more data comes. */
  predefined: boolean;
  components: Gs1Component[];
  /** Length of the whole value. */
  min: number;
  max: number;
}

const COMPONENT = /^(\[?)([NXYZ])(\.\.)?(\d+)\]?((?:,\w+)*)$/;

function component(spec: string): Gs1Component {
  const m = COMPONENT.exec(spec);
  if (!m) throw new Error(`GS1 AI table: bad component ${spec}`);
  const length = Number(m[4]);
  return {
    charset: m[2] as Gs1Component['charset'],
    min: m[3] ? 1 : length,
    max: length,
    optional: m[1] === '[',
    linters: m[5]!.split(',').slice(1),
  };
}

function aisOfRow([ais, predefined, format, title]: (typeof GS1_AI_TABLE)[number]): Gs1Ai[] {
  const components = format.split(' ').map(component);
  const min = components.reduce((n, c) => n + (c.optional ? 0 : c.min), 0);
  const max = components.reduce((n, c) => n + c.max, 0);
  // A range such as 3100-3105 or 91-99: every AI of it, of the range's width.
  const [first, last = first] = ais.split('-') as [string, string?];
  const rows: Gs1Ai[] = [];
  for (let n = Number(first); n <= Number(last); n++) {
    const ai = String(n).padStart(first.length, '0');
    rows.push({ ai, title, predefined, components, min, max });
  }
  return rows;
}

export const GS1_AIS: ReadonlyMap<string, Gs1Ai> = new Map(
  GS1_AI_TABLE.flatMap(aisOfRow).map((a) => [a.ai, a]),
);

/** Whether no FNC1 follows this AI's value, e.g. true for 01 and 17, false for 10 and 422. */
export function hasPredefinedLength(ai: string): boolean {
  return GS1_AIS.get(ai)?.predefined === true;
}

/** The AI that `text` starts with at `at` (AIs are prefix-free, so at most one matches). */
export function aiAt(text: string, at: number): Gs1Ai | undefined {
  for (let n = 2; n <= 4; n++) {
    const ai = GS1_AIS.get(text.slice(at, at + n));
    if (ai) return ai;
  }
  return undefined;
}

/** GS1 character set 82 (General Specifications figure 7.11-1): what X values may hold. */
export const CHARSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

const CHARSETS: Record<Gs1Component['charset'], { re: RegExp; name: string }> = {
  N: { re: /^\d*$/, name: 'digits only' },
  X: { re: CHARSET_82, name: 'GS1 character set 82' },
  Y: { re: /^[#\-/0-9A-Z]*$/, name: 'GS1 character set 39' },
  Z: { re: /^[-0-9A-Z_a-z=]*$/, name: 'base64url characters' },
};

/** GS1 check digit of the digits before it, e.g. `gtinCheckDigit('950600013435')` → 2. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  // Weights alternate 3, 1, 3, … from the rightmost digit of the body.
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (body.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

export const hasValidCheckDigit = (digits: string) =>
  gtinCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;

/** The value of `ai`, checked: its length, each component's characters and content. */
export function checkValue(ai: Gs1Ai, value: string, now: Date): string {
  const field = `gs1 (${ai.ai})`;
  if (value.length < ai.min || value.length > ai.max) {
    const length = ai.min === ai.max ? `${ai.min}` : `${ai.min} to ${ai.max}`;
    throw new ValidationError(
      field,
      `${ai.title} must have ${length} characters, not ${value.length}` +
        (value.length > ai.max ? ' (is an FNC1 separator missing?)' : ''),
    );
  }
  let at = 0;
  for (const c of ai.components) {
    // Optional components only follow the mandatory ones; they end where the data ends.
    if (c.optional && at >= value.length) break;
    const part = value.slice(at, c.min === c.max ? at + c.max : value.length);
    if (part.length < c.min)
      throw new ValidationError(
        field,
        `${ai.title} must have ${at + c.min} characters, not ${value.length}`,
      );
    const charset = CHARSETS[c.charset];
    if (!charset.re.test(part))
      throw new ValidationError(
        field,
        c.charset === 'N'
          ? `${ai.title} must hold digits only`
          : `${ai.title} holds a character outside ${charset.name}`,
      );
    for (const linter of c.linters) lint(linter, part, field, ai.title, now);
    at += part.length;
  }
  return value;
}

/**
 * The dictionary's content checks that need no outside list. Those that do (ISO 3166 country
 * and ISO 4217 currency codes, IBAN, coupon layouts, …) are not applied: length and character
 * set are still checked.
 */
function lint(linter: string, part: string, field: string, title: string, now: Date): void {
  const fail = (reason: string) => {
    throw new ValidationError(field, reason);
  };
  switch (linter) {
    case 'csum':
      if (!hasValidCheckDigit(part))
        fail(
          `${title} check digit is ${part.at(-1)}, expected ${gtinCheckDigit(part.slice(0, -1))}`,
        );
      break;
    case 'yymmd0':
      yymmddToIso(part, field, now);
      break;
    case 'yymmdd':
      if (part.endsWith('00')) fail(`${part} has no day 00`);
      yymmddToIso(part, field, now);
      break;
    case 'yyyymmdd': {
      const [y, m, d] = [part.slice(0, 4), part.slice(4, 6), part.slice(6)].map(Number);
      const date = new Date(Date.UTC(y!, m! - 1, d));
      if (date.getUTCMonth() !== m! - 1 || date.getUTCDate() !== d)
        fail(`${part} is not a date YYYYMMDD`);
      break;
    }
    case 'hhmi':
      if (Number(part.slice(0, 2)) > 23 || Number(part.slice(2, 4)) > 59)
        fail(`${part} is not a time HHMM`);
      break;
    case 'hh':
      if (Number(part) > 23) fail(`${part} is not an hour`);
      break;
    case 'mi':
    case 'ss':
      if (Number(part) > 59) fail(`${part} is not a minute or second`);
      break;
    case 'zero':
      if (part !== '0') fail(`${title} must start with 0`);
      break;
    case 'nonzero':
      if (/^0+$/.test(part)) fail(`${title} holds a zero where none may be`);
      break;
    case 'yesno':
      if (part !== '0' && part !== '1') fail(`${title} must be 0 or 1`);
      break;
    case 'hyphen':
      if (part !== '-') fail(`${title} may end only in '-'`);
      break;
    case 'nozeroprefix':
      if (part.length > 1 && part.startsWith('0')) fail(`${title} must not start with 0`);
      break;
    case 'hasnondigit':
      if (/^\d*$/.test(part)) fail(`${title} must hold a character other than a digit`);
      break;
  }
}

/**
 * ISO date of a GS1 YYMMDD date. Century rule (General Specifications 7.12): a year 51–99 ahead
 * of this year is in the last century, one 50 or more behind is in the next; DD 00 is the last
 * day of the month.
 */
export function yymmddToIso(value: string, field: string, now: Date): string {
  if (!/^\d{6}$/.test(value)) throw new ValidationError(field, `${value} is not a date YYMMDD`);
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  let dd = Number(value.slice(4, 6));
  const current = now.getUTCFullYear();
  const diff = yy - (current % 100);
  let century = current - (current % 100);
  if (diff >= 51) century -= 100;
  else if (diff <= -50) century += 100;
  const year = century + yy;
  if (mm < 1 || mm > 12) throw new ValidationError(field, `${value} has no month ${mm}`);
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd === 0) dd = last;
  else if (dd > last) throw new ValidationError(field, `${value}: month ${mm} has no day ${dd}`);
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}
