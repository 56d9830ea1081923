import PDFDocument from 'pdfkit';
import { ValidationError } from '../domain/errors.js';
import {
  labelsPerPage,
  resolveLabelMedia,
  sheetCellOrigin,
  type LabelMedia,
} from '../domain/label-media.js';
import type { LabelData, LabelTemplate } from '../domain/label-template.js';
import { PT_MM } from '../domain/label-template.js';
import { ascentOf, embedded, runWidthEm, textRuns, type FontName } from './label-fonts.js';
import { DOT_MM, layoutLabel, type LabelLayout, type PlacedSymbol } from './label-layout.js';

const MM_PT = 1 / PT_MM;

export interface PdfOptions {
  /** Sheets: the 1-based cell the first label goes to, to use up a partly used sheet. */
  startPosition?: number;
}

/** Labels drawn between two turns of the event loop, so that the PDF's bytes flow out meanwhile. */
const YIELD_EVERY = 50;

/** A PDF whose labels are laid out and checked, ready to be written. */
export interface PreparedPdf {
  /** Draws the labels, handing the PDF's bytes to `onData` as they are made. */
  write(onData: (chunk: Uint8Array) => void): Promise<void>;
}

/**
 * Labels as a PDF: one page per label at the exact label size for roll media, a grid of labels
 * on the sheet for sheet media. Symbols are vector rectangles, text is the PDF's built-in
 * Helvetica with DejaVu Sans and a font of the machine's for characters beyond it (see
 * label-fonts), so the file prints crisp at any resolution.
 */
export async function renderLabelsPdf(
  template: LabelTemplate,
  labels: LabelData[],
  options: PdfOptions = {},
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await preparePdf(template, labels, options).write((chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}

/**
 * Lays out every label before the first byte: a label that cannot print (a Code 128 too wide
 * for it) refuses the whole request while it can still be answered with an error.
 */
export function preparePdf(
  template: LabelTemplate,
  labels: LabelData[],
  options: PdfOptions = {},
): PreparedPdf {
  const media = resolveLabelMedia(template.media);
  if (labels.length === 0) throw new ValidationError('labels', 'must hold at least one label');
  const start = checkStart(media, options.startPosition);
  const layouts = labels.map((data) => layoutLabel(media, template, data));
  return { write: (onData) => writePdf(media, layouts, start, onData) };
}

async function writePdf(
  media: LabelMedia,
  layouts: LabelLayout[],
  start: number,
  onData: (chunk: Uint8Array) => void,
): Promise<void> {
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: 'Labels' } });
  const setFont = fontSetter(doc);
  doc.on('data', onData);
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const perPage = labelsPerPage(media);
  const pageSize: [number, number] =
    media.kind === 'sheet'
      ? [media.pageWidthMm * MM_PT, media.pageHeightMm * MM_PT]
      : [media.widthMm * MM_PT, media.heightMm * MM_PT];
  for (const [i, layout] of layouts.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const cell = start - 1 + i;
    if (i === 0 || cell % perPage === 0) doc.addPage({ size: pageSize, margin: 0 });
    const origin =
      media.kind === 'sheet' ? sheetCellOrigin(media, cell % perPage) : { xMm: 0, yMm: 0 };
    drawLabel(doc, setFont, layout, origin.xMm, origin.yMm);
  }
  doc.end();
  return done;
}

function checkStart(media: LabelMedia, startPosition: number | undefined): number {
  if (startPosition === undefined) return 1;
  const perPage = labelsPerPage(media);
  if (!Number.isInteger(startPosition) || startPosition < 1 || startPosition > perPage)
    throw new ValidationError(
      'startPosition',
      media.kind === 'sheet'
        ? `must be a whole number from 1 to ${perPage} (the cells of a ${media.columns} × ${media.rows} sheet)`
        : 'applies to sheets only; roll media print one label per page',
    );
  return startPosition;
}

/**
 * Sets a run's font. An embedded font is registered with the document on its first use: a label
 * in plain Latin text reads no font file, and only the fonts used are embedded.
 */
function fontSetter(doc: PDFKit.PDFDocument): (font: FontName) => PDFKit.PDFDocument {
  const registered = new Set<FontName>();
  return (font) => {
    if (!registered.has(font)) {
      const file = embedded(font);
      if (file) doc.registerFont(font, file.file, file.family);
      registered.add(font);
    }
    return doc.font(font);
  };
}

function drawLabel(
  doc: PDFKit.PDFDocument,
  setFont: (font: FontName) => PDFKit.PDFDocument,
  layout: LabelLayout,
  xMm: number,
  yMm: number,
): void {
  drawSymbol(doc, layout.symbol, xMm, yMm);
  for (const line of layout.lines) {
    const baseline = yMm + line.yMm + line.baselineMm;
    let x = xMm + line.xMm;
    for (const run of textRuns(line.text, line.bold)) {
      setFont(run.font)
        .fontSize(line.sizePt)
        // pdfkit places text by the top of the font's ascender.
        .text(run.text, x * MM_PT, baseline * MM_PT - ascentOf(run.font) * line.sizePt, {
          lineBreak: false,
        });
      x += runWidthEm(run) * line.sizePt * PT_MM;
    }
  }
}

/** On the page's 300 dpi dot grid, so that modules of whole dots start on a dot. */
const snap = (mm: number) => Math.round(mm / DOT_MM) * DOT_MM;

function drawSymbol(doc: PDFKit.PDFDocument, placed: PlacedSymbol, xMm: number, yMm: number) {
  const { symbol, moduleMm: m } = placed;
  const x0 = placed.crisp ? snap(xMm + placed.xMm) : xMm + placed.xMm;
  const y0 = placed.crisp ? snap(yMm + placed.yMm) : yMm + placed.yMm;
  const rect = (x: number, y: number, w: number, h: number) =>
    doc.rect((x0 + x) * MM_PT, (y0 + y) * MM_PT, w * MM_PT, h * MM_PT);
  if (symbol.kind === 'bars') {
    let x = 0;
    symbol.widths.forEach((w, i) => {
      if (i % 2 === 0) rect(x * m, 0, w * m, placed.heightMm);
      x += w;
    });
  } else {
    // Runs of dark modules in a row become one rectangle; a run repeated at the same place in
    // the rows below grows downwards instead of starting another rectangle.
    const { columns, rows, modules } = symbol;
    let open = new Map<number, { start: number; length: number; top: number }>();
    const close = (run: { start: number; length: number; top: number }, bottom: number) =>
      rect(run.start * m, run.top * m, run.length * m, (bottom - run.top) * m);
    for (let r = 0; r < rows; r++) {
      const next = new Map<number, { start: number; length: number; top: number }>();
      for (let c = 0; c < columns; c++) {
        if (!modules[r * columns + c]) continue;
        const start = c;
        while (c + 1 < columns && modules[r * columns + c + 1]) c++;
        const key = start * 4096 + (c - start + 1);
        const run = open.get(key);
        if (run) open.delete(key);
        next.set(key, run ?? { start, length: c - start + 1, top: r });
      }
      for (const run of open.values()) close(run, r);
      open = next;
    }
    for (const run of open.values()) close(run, rows);
  }
  doc.fill('black');
}
