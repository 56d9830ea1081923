import { ValidationError } from '../domain/errors.js';
import {
  resolveLabelMedia,
  ZPL_DPIS,
  type LabelMedia,
  type ZplDpi,
} from '../domain/label-media.js';
import type { LabelData, LabelTemplate } from '../domain/label-template.js';
import { hasPredefinedLength } from '../domain/scan/gs1.js';
import {
  code128Refusal,
  layoutLabel,
  MIN_BAR_MODULE_MM,
  type PlacedSymbol,
} from './label-layout.js';

export interface ZplOptions {
  /** The printer's resolution: 203 dpi (8 dots/mm) or 300 dpi (12 dots/mm). Default 300. */
  dpi?: ZplDpi;
}

/**
 * Labels as ZPL II for Zebra-compatible thermal printers: one ^XA … ^XZ block per label, the
 * same layout as the PDF, with the printer's own symbols (^BQ QR, ^BX DataMatrix, ^BC Code 128)
 * and scalable font ^A0. All field data goes through ^FH, so ^ and ~ in data cannot start a
 * command.
 */
export function renderLabelsZpl(
  template: LabelTemplate,
  labels: LabelData[],
  options: ZplOptions = {},
): string {
  const dpi = options.dpi ?? 300;
  if (!(ZPL_DPIS as readonly number[]).includes(dpi))
    throw new ValidationError('dpi', `must be one of ${ZPL_DPIS.join(', ')}`);
  const media = resolveLabelMedia(template.media);
  if (labels.length === 0) throw new ValidationError('labels', 'must hold at least one label');
  const dots = (mm: number) => Math.round((mm * dpi) / 25.4);
  return labels
    .map((data) => {
      const layout = layoutLabel(media, template, data);
      const out = [
        '^XA',
        '^CI28',
        `^PW${dots(layout.widthMm)}`,
        `^LL${dots(layout.heightMm)}`,
        '^LH0,0',
      ];
      const barDots =
        layout.symbol.symbol.kind === 'bars'
          ? code128Dots(media, template, data, layout.symbol, dpi)
          : 0;
      out.push(symbolCommand(template, layout.symbol, dpi, dots, barDots));
      for (const line of layout.lines) {
        const size = Math.max(1, dots((line.sizePt * 25.4) / 72));
        // ^FT places text by its baseline, as the layout does.
        out.push(
          `^FT${dots(line.xMm)},${dots(line.yMm + line.baselineMm)}^A0N,${size},${size}^FH^FD${fieldHex(line.text)}^FS`,
        );
      }
      out.push('^XZ');
      return out.join('\n');
    })
    .join('\n')
    .concat('\n');
}

function symbolCommand(
  template: LabelTemplate,
  placed: PlacedSymbol,
  dpi: number,
  dots: (mm: number) => number,
  barDots: number,
): string {
  const at = `^FO${dots(placed.xMm)},${dots(placed.yMm)}`;
  // Modules of whole printer dots, as large as the layout's box allows at this resolution.
  const moduleDots = Math.max(1, Math.floor((placed.moduleMm * dpi) / 25.4 + 1e-6));
  switch (template.symbology) {
    case 'qr':
      // Model 2, error correction M, automatic input mode.
      return `${at}^BQN,2,${Math.min(10, moduleDots)}^FH^FDMA,${fieldHex(placed.payload)}^FS`;
    case 'datamatrix':
      return `${at}^BXN,${moduleDots},200^FH^FD${fieldHex(dataMatrixEscape(placed.payload))}^FS`;
    case 'gs1datamatrix':
      return `${at}^BXN,${moduleDots},200^FH^FD${fieldHex(gs1DataMatrixData(placed.payload))}^FS`;
    case 'code128':
      // ^BY: module width in dots; ^BC: no printed interpretation (the text lines carry it), automatic subsets.
      return `${at}^BY${barDots}^BCN,${dots(placed.heightMm)},N,N,N,A^FH^FD${fieldHex(placed.payload)}^FS`;
  }
}

/**
 * The Code 128 module in printer dots: the layout's module in whole dots, but never narrower than
 * MIN_BAR_MODULE_MM (2 dots at 203 dpi as at 300). A symbol that then outgrows the label is refused.
 */
function code128Dots(
  media: LabelMedia,
  template: LabelTemplate,
  data: LabelData,
  placed: PlacedSymbol,
  dpi: number,
): number {
  const least = Math.ceil((MIN_BAR_MODULE_MM * dpi) / 25.4 - 1e-6);
  const moduleDots = Math.max(least, Math.floor((placed.moduleMm * dpi) / 25.4 + 1e-6));
  const { symbol } = placed;
  if (symbol.kind !== 'bars') return moduleDots;
  const needMm = ((symbol.columns + 2 * symbol.quietModules) * moduleDots * 25.4) / dpi;
  const haveMm = media.widthMm - 2 * media.marginMm;
  if (needMm > haveMm + 1e-9)
    throw code128Refusal(media, template, data, needMm, haveMm, ` at ${dpi} dpi`);
  return moduleDots;
}

/**
 * ^FH hexadecimal escapes (indicator `_`) for the characters that would break the command
 * stream: ^ and ~ (command prefixes), _ itself and control characters.
 */
export function fieldHex(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what must be escaped
    /[\^~_\x00-\x1f\x7f]/g,
    (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** ^BX with ECC 200 reads `~` as its escape character: a literal `~` is written `~d126`. */
function dataMatrixEscape(text: string): string {
  return text.replace(/~/g, '~d126');
}

/**
 * The ^BX data of a GS1 DataMatrix from a bracketed element string: a leading FNC1 (`~1`, which
 * makes the symbol GS1) and an FNC1 after every variable-length field but the last.
 */
function gs1DataMatrixData(bracketed: string): string {
  const elements = [...bracketed.matchAll(/\((\d{2,4})\)([^()]+)/g)];
  let out = '~1';
  elements.forEach((m, i) => {
    const ai = m[1]!;
    out += ai + dataMatrixEscape(m[2]!);
    if (i < elements.length - 1 && !hasPredefinedLength(ai)) out += '~1';
  });
  return out;
}
