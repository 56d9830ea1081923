import { ValidationError } from './errors.js';
import { resolveLabelMedia, type CustomSize, type LabelMedia } from './label-media.js';

/**
 * Label templates: which media, which symbol carrying what, and which text lines beside it.
 * Pure: validation, defaults and the text of one label; layout and drawing live in src/labels.
 */
export const LABEL_SYMBOLOGIES = ['qr', 'datamatrix', 'code128', 'gs1datamatrix'] as const;
export type LabelSymbology = (typeof LABEL_SYMBOLOGIES)[number];
/** What the symbol carries: the object's page URL or its bare code (gs1datamatrix: LabelData.gs1). */
export const LABEL_CONTENTS = ['url', 'code'] as const;
export type LabelContent = (typeof LABEL_CONTENTS)[number];
export const LABEL_FIELDS = [
  'shortCode',
  'code',
  'partName',
  'mpn',
  'buildSerial',
  'customerSerial',
  'lotName',
  'date',
] as const;
/** A field of LabelData, or `custom:<key>` for one of its custom fields. */
export type LabelField = (typeof LABEL_FIELDS)[number] | `custom:${string}`;
/** A field's value, or free text such as `{ text: 'S/N ' }`. */
export type TextPart = LabelField | { text: string };

export interface TextLine {
  parts: TextPart[];
  /** Points; without it the layout picks a size from the room there is. */
  sizePt?: number;
  bold?: boolean;
}

export interface LabelTemplate {
  /** A preset id of LABEL_MEDIA, or a custom size. */
  media: string | CustomSize;
  symbology: LabelSymbology;
  content: LabelContent;
  lines: TextLine[];
}

/** What one label shows. */
export interface LabelData {
  code: string;
  shortCode: string;
  url: string;
  partName?: string;
  mpn?: string;
  buildSerial?: string;
  customerSerial?: string;
  lotName?: string;
  customFields?: Record<string, string>;
  date?: string;
  /** GS1 element string in bracketed form, e.g. `(01)09506000134352(17)270101(10)A1(21)X`. */
  gs1?: string;
}

export const MIN_FONT_PT = 4;
export const MAX_FONT_PT = 72;
export const MAX_LINES = 12;
const MAX_TEXT = 200;
/** Millimetres per typographic point. */
export const PT_MM = 25.4 / 72;
/** A line's height is its font size times this. */
export const LINE_HEIGHT = 1.2;

/**
 * Checks a template from outside (API body, CLI file) and returns it typed, e.g.
 * `{ media: 'tape-62x29', symbology: 'datamatrix', content: 'url', lines: [{ parts: ['shortCode'] }] }`.
 * Throws ValidationError naming the field (`lines[1].parts[0]`) and the reason.
 */
export function validateLabelTemplate(input: unknown): LabelTemplate {
  if (!isObject(input)) throw new ValidationError('template', 'must be an object');
  const media = resolveLabelMedia(input.media as string | CustomSize);
  const symbology = oneOf(input.symbology, LABEL_SYMBOLOGIES, 'symbology');
  const content = oneOf(input.content ?? 'url', LABEL_CONTENTS, 'content');
  if (!Array.isArray(input.lines)) throw new ValidationError('lines', 'must be a list of lines');
  if (input.lines.length > MAX_LINES)
    throw new ValidationError('lines', `must hold at most ${MAX_LINES} lines`);
  const lines = input.lines.map((line: unknown, i) => validateLine(line, `lines[${i}]`, media));
  return {
    media: typeof input.media === 'string' ? input.media : { ...(input.media as CustomSize) },
    symbology,
    content,
    lines,
  };
}

function validateLine(line: unknown, field: string, media: LabelMedia): TextLine {
  if (!isObject(line) || !Array.isArray(line.parts) || line.parts.length === 0)
    throw new ValidationError(field, 'must be { parts: [field or { text }, …], sizePt?, bold? }');
  const parts = line.parts.map((p: unknown, i) => validatePart(p, `${field}.parts[${i}]`));
  const out: TextLine = { parts };
  if (line.sizePt !== undefined) {
    const size = line.sizePt;
    if (typeof size !== 'number' || !(size >= MIN_FONT_PT && size <= MAX_FONT_PT))
      throw new ValidationError(
        `${field}.sizePt`,
        `must be a font size from ${MIN_FONT_PT} to ${MAX_FONT_PT} pt`,
      );
    const roomMm = media.heightMm - 2 * media.marginMm;
    if (size * LINE_HEIGHT * PT_MM > roomMm)
      throw new ValidationError(
        `${field}.sizePt`,
        `font too large for the label: a ${size} pt line needs ${(size * LINE_HEIGHT * PT_MM).toFixed(1)} mm, the label has ${roomMm.toFixed(1)} mm`,
      );
    out.sizePt = size;
  }
  if (line.bold !== undefined) {
    if (typeof line.bold !== 'boolean')
      throw new ValidationError(`${field}.bold`, 'must be true or false');
    out.bold = line.bold;
  }
  return out;
}

function validatePart(part: unknown, field: string): TextPart {
  if (isObject(part)) {
    if (typeof part.text !== 'string' || part.text.length === 0 || part.text.length > MAX_TEXT)
      throw new ValidationError(`${field}.text`, `must be text of 1 to ${MAX_TEXT} characters`);
    return { text: part.text };
  }
  if (typeof part === 'string') {
    if ((LABEL_FIELDS as readonly string[]).includes(part)) return part as LabelField;
    if (/^custom:[^\s].{0,99}$/.test(part)) return part as LabelField;
  }
  throw new ValidationError(
    field,
    `unknown field ${JSON.stringify(part)}; fields: ${LABEL_FIELDS.join(', ')}, custom:<key>, or { text }`,
  );
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new ValidationError(
    field,
    `unknown ${field} ${JSON.stringify(value)}; one of ${allowed.join(', ')}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A template that needs no layout work: the symbol and the lines that suit the media's size,
 * e.g. `defaultTemplate('tape-12x48')` is a small DataMatrix and the short code. Code128 carries
 * the bare code, as a URL would not fit a readable linear symbol on a small label.
 */
export function defaultTemplate(
  media: string | CustomSize,
  symbology: LabelSymbology = 'datamatrix',
): LabelTemplate {
  const size = resolveLabelMedia(media);
  const content: LabelContent = symbology === 'code128' ? 'code' : 'url';
  const shortCode: TextLine = { parts: ['shortCode'], bold: true };
  const serial: TextLine = { parts: [{ text: 'S/N ' }, 'customerSerial'] };
  let lines: TextLine[];
  if (size.heightMm < 16) lines = [shortCode];
  else if (size.heightMm < 28 || size.widthMm < 45)
    lines = [shortCode, { parts: ['partName'] }, serial];
  else if (size.heightMm < 60)
    lines = [
      shortCode,
      { parts: ['partName'] },
      { parts: ['mpn'] },
      serial,
      { parts: ['buildSerial'] },
    ];
  else
    lines = [
      shortCode,
      { parts: ['partName'] },
      { parts: ['mpn'] },
      serial,
      { parts: ['buildSerial'] },
      { parts: [{ text: 'Lot ' }, 'lotName'] },
      { parts: ['date'] },
    ];
  return { media, symbology, content, lines };
}

/**
 * The text of a line for one label; null when the line names fields and none has a value
 * (a line `S/N {customerSerial}` is left out for a unit without a customer serial).
 */
export function lineText(line: TextLine, data: LabelData): string | null {
  let text = '';
  let fields = 0;
  let filled = 0;
  for (const part of line.parts) {
    if (typeof part !== 'string') {
      text += part.text;
      continue;
    }
    fields++;
    const value = fieldValue(part, data);
    if (value) {
      filled++;
      text += value;
    }
  }
  return fields > 0 && filled === 0 ? null : text;
}

function fieldValue(field: LabelField, data: LabelData): string | undefined {
  if (field.startsWith('custom:')) return data.customFields?.[field.slice('custom:'.length)];
  return data[field as (typeof LABEL_FIELDS)[number]];
}

const GS1_BRACKETED = /^(\(\d{2,4}\)[^()]+)+$/;

/** What the symbol encodes: the URL or the code, or for gs1datamatrix the bracketed GS1 string. */
export function symbolPayload(template: LabelTemplate, data: LabelData): string {
  if (template.symbology === 'gs1datamatrix') {
    if (!data.gs1) throw new ValidationError('gs1', 'a gs1datamatrix label needs GS1 data');
    if (!GS1_BRACKETED.test(data.gs1))
      throw new ValidationError(
        'gs1',
        'must be GS1 element strings in bracketed form, e.g. (01)09506000134352(21)X1',
      );
    return data.gs1;
  }
  return template.content === 'url' ? data.url : data.code;
}

/**
 * A text line written as text with fields in braces, as the CLI and the web editor take it:
 * `S/N {customerSerial}` → `{ parts: [{ text: 'S/N ' }, 'customerSerial'] }`. Fields are checked
 * by validateLabelTemplate.
 */
export function parseLineText(text: string): TextLine {
  const parts: TextPart[] = [];
  for (const piece of text.split(/(\{[^{}]*\})/)) {
    if (piece === '') continue;
    if (piece.startsWith('{') && piece.endsWith('}')) parts.push(piece.slice(1, -1) as LabelField);
    else parts.push({ text: piece });
  }
  return { parts };
}

/** The inverse of parseLineText: `{ parts: ['shortCode'] }` → `{shortCode}`. */
export function formatLineText(line: { parts: readonly (string | { text: string })[] }): string {
  return line.parts.map((p) => (typeof p === 'string' ? `{${p}}` : p.text)).join('');
}
