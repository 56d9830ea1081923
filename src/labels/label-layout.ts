import { ValidationError } from '../domain/errors.js';
import type { LabelMedia } from '../domain/label-media.js';
import {
  LABEL_SYMBOLOGIES,
  LINE_HEIGHT,
  MIN_FONT_PT,
  PT_MM,
  lineText,
  symbolPayload,
  type LabelData,
  type LabelSymbology,
  type LabelTemplate,
} from '../domain/label-template.js';
import { udiHumanReadable } from '../domain/scan/gs1.js';
import { HELVETICA_ASCENT, textWidthMm } from './label-fonts.js';
import { encodeSymbol, type EncodedSymbol } from './label-symbol.js';

// Fits the symbol and the text lines into one label, in millimetres from the label's top-left
// corner. Shared by the PDF and ZPL renderers so both print the same label.

/** One printer dot at 300 dpi: symbol modules are whole dots so that every bar prints alike. */
export const DOT_MM = 25.4 / 300;
const LINE_LEAD = (LINE_HEIGHT - 0.925) / 2;
const MAX_AUTO_PT = 24;
/** Wider modules than this make a symbol big without making it easier to scan. */
const MAX_DOTS_PER_MODULE = 12;
const MAX_BAR_DOTS = 4;
/**
 * The narrowest Code 128 bar printed: 2 dots at 300 dpi (0.17 mm). Bars of one dot (0.085 mm)
 * spread or vanish in thermal print and common decoders misread them.
 */
export const MIN_BAR_MODULE_MM = 2 * DOT_MM;

export interface PlacedSymbol {
  symbol: EncodedSymbol;
  payload: string;
  /** The symbol itself, quiet zone excluded. */
  xMm: number;
  yMm: number;
  widthMm: number;
  heightMm: number;
  moduleMm: number;
  /** Whether the module is a whole number of 300 dpi dots. */
  crisp: boolean;
}

export interface PlacedText {
  text: string;
  xMm: number;
  /** The top of the line's box; the baseline lies `baselineMm` lower. */
  yMm: number;
  baselineMm: number;
  widthMm: number;
  sizePt: number;
  bold: boolean;
}

export interface LabelLayout {
  widthMm: number;
  heightMm: number;
  symbol: PlacedSymbol;
  lines: PlacedText[];
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface WantedLine {
  text: string;
  sizePt: number | undefined;
  bold: boolean;
}

/** Lays out one label. */
export function layoutLabel(
  media: LabelMedia,
  template: LabelTemplate,
  data: LabelData,
): LabelLayout {
  const payload = symbolPayload(template, data);
  const encoded = encodeSymbol(template.symbology, payload);
  const m = media.marginMm;
  const content: Box = { x: m, y: m, w: media.widthMm - 2 * m, h: media.heightMm - 2 * m };
  const wanted: WantedLine[] = [];
  for (const line of template.lines) {
    const text = lineText(line, data);
    if (text !== null && text.trim() !== '')
      wanted.push({ text, sizePt: line.sizePt, bold: line.bold ?? false });
  }
  const base = { widthMm: media.widthMm, heightMm: media.heightMm };
  if (encoded.kind === 'matrix') {
    const portrait = content.h > content.w * 1.2;
    const hri =
      template.symbology === 'gs1datamatrix'
        ? fitUdiText(media, content, udiHumanReadable(payload), portrait ? 12 : 8)
        : [];
    return { ...base, ...layoutMatrix(content, encoded, payload, wanted, hri, portrait) };
  }
  const linear = layoutLinear(content, encoded, payload, wanted);
  if (!linear) {
    const needMm = (encoded.columns + 2 * encoded.quietModules) * MIN_BAR_MODULE_MM;
    throw code128Refusal(media, template, data, needMm, content.w);
  }
  return { ...base, ...linear };
}

/**
 * The refusal of a Code 128 that does not fit at the narrowest bar scanners read, naming the
 * media and the symbologies that do fit this label.
 */
export function code128Refusal(
  media: LabelMedia,
  template: LabelTemplate,
  data: LabelData,
  needMm: number,
  haveMm: number,
  where = '',
): ValidationError {
  const fitting = LABEL_SYMBOLOGIES.filter(
    (s) => s !== 'code128' && fits(media, template, data, s),
  );
  return new ValidationError(
    'symbology',
    `code128 of '${symbolPayload(template, data)}' needs ${needMm.toFixed(1)} mm of width${where} (bars of at least ${MIN_BAR_MODULE_MM.toFixed(2)} mm, which 300 dpi scanners read); ${media.name} has ${haveMm.toFixed(1)} mm: choose ${fitting.join(' or ')} for this media, or a wider label`,
  );
}

function fits(media: LabelMedia, template: LabelTemplate, data: LabelData, s: LabelSymbology) {
  try {
    layoutLabel(media, { ...template, symbology: s }, data);
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

function layoutLinear(
  c: Box,
  symbol: EncodedSymbol & { kind: 'bars' },
  payload: string,
  wanted: WantedLine[],
): Omit<LabelLayout, 'widthMm' | 'heightMm'> | undefined {
  const modules = symbol.columns + 2 * symbol.quietModules;
  const dots = Math.min(MAX_BAR_DOTS, Math.floor(c.w / (modules * DOT_MM)));
  // Narrower bars would print but not scan reliably: the caller refuses the label instead.
  if (dots * DOT_MM < MIN_BAR_MODULE_MM - 1e-9) return undefined;
  const moduleMm = dots * DOT_MM;
  const barHeight = wanted.length ? Math.min(c.h * 0.55, 25) : Math.min(c.h, 30);
  const widthMm = symbol.columns * moduleMm;
  const placed: PlacedSymbol = {
    symbol,
    payload,
    xMm: c.x + (c.w - widthMm) / 2,
    yMm: c.y,
    widthMm,
    heightMm: barHeight,
    moduleMm,
    crisp: true,
  };
  const gap = Math.min(1, c.h * 0.05);
  const below: Box = { x: c.x, y: c.y + barHeight + gap, w: c.w, h: c.h - barHeight - gap };
  return { symbol: placed, lines: fitLines(below, wanted, 'center') };
}

function layoutMatrix(
  c: Box,
  symbol: EncodedSymbol & { kind: 'matrix' },
  payload: string,
  wanted: WantedLine[],
  hri: PlacedText[],
  portrait: boolean,
): Omit<LabelLayout, 'widthMm' | 'heightMm'> {
  // The GS1 human-readable interpretation goes under the symbol, across the label.
  const hriHeight = hri.reduce((sum, line) => sum + line.sizePt * LINE_HEIGHT * PT_MM, 0);
  const modules = Math.max(symbol.columns, symbol.rows) + 2 * symbol.quietModules;
  const hasText = wanted.length > 0;
  const room = c.h - hriHeight;
  const side = portrait
    ? Math.min(c.w * 0.75, hasText ? room * 0.55 : room)
    : Math.min(room, hasText ? c.w * 0.5 : c.w);
  const dots = Math.min(MAX_DOTS_PER_MODULE, Math.floor(side / (modules * DOT_MM)));
  const moduleMm = dots >= 1 ? dots * DOT_MM : side / modules;
  const box = moduleMm * modules;
  const quiet = moduleMm * symbol.quietModules;
  const bx = portrait || !hasText ? c.x + (c.w - box) / 2 : c.x;
  const by = portrait ? c.y : c.y + (room - box) / 2;
  const placed: PlacedSymbol = {
    symbol,
    payload,
    xMm: bx + quiet,
    yMm: by + quiet,
    widthMm: symbol.columns * moduleMm,
    heightMm: symbol.rows * moduleMm,
    moduleMm,
    crisp: dots >= 1,
  };
  const lines: PlacedText[] = [];
  // Right under the symbol's quiet zone when there is room, else at the bottom of the label.
  let top = portrait ? by + box : c.y + c.h - hriHeight;
  for (const line of hri) {
    lines.push({ ...line, xMm: portrait ? c.x + (c.w - line.widthMm) / 2 : c.x, yMm: top });
    top += line.sizePt * LINE_HEIGHT * PT_MM;
  }
  const textBox: Box = portrait
    ? { x: c.x, y: by + box + hriHeight + 2, w: c.w, h: c.h - box - hriHeight - 2 }
    : { x: bx + box, y: c.y, w: c.w - box, h: room };
  if (hasText)
    lines.push(
      ...(portrait
        ? fitLines(textBox, wanted, 'center', 'top')
        : fitLines(textBox, wanted, 'left')),
    );
  return { symbol: placed, lines };
}

/**
 * The smallest size of the human-readable UDI (a 1.8 mm line, which 203 dpi thermal printers still
 * print legibly): smaller is refused, never printed or left out.
 */
export const MIN_UDI_TEXT_PT = 5;
/** The UDI text takes at most this share of the label's height; the symbol needs the rest. */
const MAX_UDI_TEXT_SHARE = 0.4;

/**
 * The human-readable UDI on one line or, split between two elements, on two, at the largest
 * size up to `preferredPt` that fits; a label on which it fits at no legible size is refused,
 * since a UDI symbol must never be printed without its text.
 */
function fitUdiText(media: LabelMedia, c: Box, text: string, preferredPt: number): PlacedText[] {
  const elements = text.match(/\(\d{2,4}\)[^()]+/g) ?? [text];
  const options: string[][] = [[text]];
  for (let i = 1; i < elements.length; i++)
    options.push([elements.slice(0, i).join(''), elements.slice(i).join('')]);
  let best: { rows: string[]; sizePt: number } | undefined;
  for (const rows of options) {
    const byHeight = (c.h * MAX_UDI_TEXT_SHARE) / rows.length / LINE_HEIGHT / PT_MM;
    const byWidth = Math.min(...rows.map((row) => c.w / textWidthMm(row, 1, false)));
    const sizePt = Math.floor(Math.min(preferredPt, byHeight, byWidth) * 4) / 4;
    if (!best || sizePt > best.sizePt) best = { rows, sizePt };
  }
  if (!best || best.sizePt < MIN_UDI_TEXT_PT)
    throw new ValidationError(
      'media',
      `the human-readable UDI '${text}' does not fit ${media.name} at ${MIN_UDI_TEXT_PT} pt or more, even on two lines: choose a larger label`,
    );
  const { rows, sizePt } = best;
  return rows.map((row) => ({
    text: row,
    xMm: c.x,
    yMm: c.y,
    baselineMm: (LINE_LEAD + HELVETICA_ASCENT) * sizePt * PT_MM,
    widthMm: textWidthMm(row, sizePt, false),
    sizePt,
    bold: false,
  }));
}

/**
 * Sizes and stacks lines in a box: a line without a size gets one from the room there is, every
 * line shrinks to fit the width, and a line that would still overflow (narrower than
 * MIN_FONT_PT allows, or below the box) is left out; the block is centred vertically. Plain
 * lines without a size share one size, unless one is so long that it would shrink them all.
 */
function fitLines(
  box: Box,
  wanted: WantedLine[],
  align: 'left' | 'center',
  valign: 'middle' | 'top' = 'middle',
): PlacedText[] {
  if (wanted.length === 0 || box.w <= 0 || box.h <= 0) return [];
  const autoPt = Math.min(MAX_AUTO_PT, box.h / wanted.length / LINE_HEIGHT / PT_MM);
  const fitted = wanted.map((line) => {
    const size = line.sizePt ?? autoPt;
    const width = textWidthMm(line.text, size, line.bold);
    return width > box.w ? Math.floor(((size * box.w) / width) * 4) / 4 : size;
  });
  const plain = fitted.filter(
    (size, i) => !wanted[i]!.bold && wanted[i]!.sizePt === undefined && size >= autoPt * 0.7,
  );
  const shared = plain.length ? Math.min(...plain) : autoPt;
  const placed: PlacedText[] = [];
  let used = 0;
  wanted.forEach((line, i) => {
    const size =
      !line.bold && line.sizePt === undefined ? Math.min(fitted[i]!, shared) : fitted[i]!;
    const height = size * LINE_HEIGHT * PT_MM;
    if (size < MIN_FONT_PT || used + height > box.h + 1e-9) return;
    const width = textWidthMm(line.text, size, line.bold);
    placed.push({
      text: line.text,
      xMm: align === 'left' ? box.x : box.x + (box.w - width) / 2,
      yMm: used,
      baselineMm: (LINE_LEAD + HELVETICA_ASCENT) * size * PT_MM,
      widthMm: width,
      sizePt: size,
      bold: line.bold,
    });
    used += height;
  });
  const top = valign === 'top' ? box.y : box.y + (box.h - used) / 2;
  return placed.map((p) => ({ ...p, yMm: top + p.yMm }));
}
