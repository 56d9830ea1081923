import type { LabelMedia, LabelSymbology, LabelTemplate } from '../../api/types.js';
import { formatLineText, parseLineText } from '@domain/label-template.js';

export const SYMBOLOGY_LABELS: Record<LabelSymbology, string> = {
  datamatrix: 'DataMatrix',
  qr: 'QR code',
  code128: 'Code 128',
  gs1datamatrix: 'GS1 DataMatrix (UDI: needs the part’s GTIN)',
};

export const CONTENT_LABELS = {
  url: 'the unit page URL (any phone camera opens it)',
  code: 'the bare code',
} as const;

/** One editable text line: fields in braces, e.g. `S/N {customerSerial}`; size '' = automatic. */
export interface LineRow {
  text: string;
  size: string;
  bold: boolean;
}

type Lines = LabelTemplate['lines'];

export function toLineRows(lines: Lines): LineRow[] {
  return lines.map((line) => ({
    text: formatLineText(line),
    size: line.sizePt === undefined ? '' : String(line.sizePt),
    bold: line.bold ?? false,
  }));
}

/** Rows left empty are dropped; the server checks the field names. */
export function fromLineRows(rows: LineRow[]): Lines {
  return rows
    .filter((row) => row.text.trim() !== '')
    .map((row) => ({
      parts: parseLineText(row.text).parts,
      ...(row.size.trim() ? { sizePt: Number(row.size) } : {}),
      ...(row.bold ? { bold: true } : {}),
    }));
}

/** The preset's name, or `50 × 30 mm` for a custom size. */
export function mediaName(media: LabelTemplate['media'], presets: LabelMedia[]): string {
  if (typeof media !== 'string') return `${media.widthMm} × ${media.heightMm} mm`;
  return presets.find((m) => m.id === media)?.name ?? media;
}

/** The index of the line an error's field names (`lines[1].parts[0]` → 1), if any. */
export function erroredLine(field: string | undefined): number | undefined {
  const match = /^lines\[(\d+)\]/.exec(field ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The row that became line `line` of fromLineRows (empty rows are dropped before it). */
export function rowOfLine(rows: LineRow[], line: number | undefined): number | undefined {
  if (line === undefined) return undefined;
  let seen = -1;
  const index = rows.findIndex((row) => row.text.trim() !== '' && ++seen === line);
  return index < 0 ? undefined : index;
}
