import PDFDocument from 'pdfkit';
import { pdfFontOf, registerPdfFonts } from '../pdf/pdf-fonts.js';
import type { PickList } from './pick-list.schemas.js';

/*
 * The pick list as a PDF (A4) to carry to the shelves: one section per location, a box to tick
 * per line, in the fonts of src/pdf/pdf-fonts.ts.
 */

const MARGIN = 40;
const BODY = 8.5;
const BOX = 9;
const COLUMNS = [
  { title: '', width: 18 },
  { title: 'Stage / entry', width: 42 },
  { title: 'Part', width: 125 },
  { title: 'Designators', width: 75 },
  { title: 'Lot', width: 105 },
  { title: 'Vendor lot', width: 65 },
  { title: 'Received', width: 50 },
  { title: 'Quantity', width: 35 },
];

export async function renderPickListPdf(list: PickList): Promise<Buffer> {
  const title = `Pick list: ${list.build.project.name}, build ${list.build.shortCode}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: title, Subject: list.build.code },
  });
  registerPdfFonts(doc);
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const text = (value: string, size = BODY, bold = false) =>
    doc.font(pdfFontOf(value, bold)).fontSize(size).text(value, MARGIN, doc.y);

  text(title, 14, true);
  const stages = list.stages
    .map((s) => `stage ${s.stage}: ${s.units} unit${s.units === 1 ? '' : 's'} to complete`)
    .join(' · ');
  text(`${list.stage === null ? 'Every stage' : `Stage ${list.stage}`} · ${stages}`);
  text(`Picking: ${list.picking} · generated ${list.generatedAt}`);
  if (list.shortages.length > 0) {
    doc.moveDown(0.5);
    text('Short:', BODY, true);
    for (const s of list.shortages)
      text(`Entry ${s.entryNo} ${s.part.name}: needs ${s.need} ${s.part.unit}, short ${s.short}`);
  }
  if (list.locations.length === 0) {
    doc.moveDown(0.5);
    text('Nothing to pick: every stage listed is complete, or places no parts.');
  }
  for (const group of list.locations) {
    doc.moveDown(0.8);
    if (doc.y + 60 > doc.page.height - MARGIN) doc.addPage();
    text(group.location.name, 11, true);
    doc.moveDown(0.2);
    drawRow(
      doc,
      COLUMNS.map((c) => c.title),
      true,
    );
    for (const l of group.lines) {
      drawRow(
        doc,
        [
          '',
          `${l.stage} / ${l.entryNo}`,
          l.part.name,
          l.designators,
          [l.lot.shortCode, l.lot.name].filter(Boolean).join(' '),
          l.lot.vendorLot,
          l.lot.receivedAt.slice(0, 10),
          `${l.quantity} ${l.part.unit}`,
        ],
        false,
      );
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** One row of cells wrapped in their columns; a line's row starts with a box to tick. */
function drawRow(doc: PDFKit.PDFDocument, cells: string[], header: boolean): void {
  doc.fontSize(BODY);
  const height = Math.max(
    BOX,
    ...cells.map((c, i) =>
      doc.font(pdfFontOf(c, header)).heightOfString(c, { width: COLUMNS[i]!.width - 4 }),
    ),
  );
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
  const y = doc.y;
  let x = MARGIN;
  cells.forEach((c, i) => {
    if (i === 0 && !header) doc.rect(x, y, BOX, BOX).lineWidth(0.8).stroke();
    else doc.font(pdfFontOf(c, header)).text(c, x, y, { width: COLUMNS[i]!.width - 4 });
    x += COLUMNS[i]!.width;
  });
  doc.x = MARGIN;
  doc.y = y + height + 3;
}
