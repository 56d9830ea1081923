import PDFDocument from 'pdfkit';
import { pdfFontOf, registerPdfFonts } from '../pdf/pdf-fonts.js';
import type { Dhr, DhrNode, DhrSection } from './dhr.schemas.js';

/*
 * The Device History Record as a PDF (A4): the same content as its JSON, section by section,
 * in the fonts of src/pdf/pdf-fonts.ts. Every value is printed as flowing text that wraps at the margin and continues on the next page, so a long
 * note or a 64-character SHA-256 never runs off the page; only the build's table of units is a
 * table, of short values. A build's units follow one another as sections, each printing only
 * what it holds, so a 1,000-unit build is one table and 1,000 short sections.
 */

const MARGIN = 50;
const BODY = 8.5;
const INDENT = 12;
/** Deeper genealogy levels stop indenting: a 64-level tree still leaves room for its text. */
const MAX_INDENT_LEVELS = 8;

const TITLES: Record<DhrSection['type'], string> = {
  identity: 'Identity',
  build: 'Build',
  bom: 'Bill of materials',
  genealogy: 'Genealogy (down to supplier lots)',
  stages: 'Stage completions',
  materials: 'Materials consumed (supplier lots)',
  tests: 'Test results',
  installations: 'Installations and removals',
  service_events: 'Service events',
  shipments: 'Shipments and returns',
  attachments: 'Attached files',
  history: 'History events',
  units: 'Units',
  unit: 'Unit',
  change_log: 'Change log records (SHA-256 chain)',
};

export async function renderDhrPdf(dhr: Dhr): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: false,
    info: { Title: dhr.title, Subject: dhr.code },
  });
  registerPdfFonts(doc);
  const chunks: Uint8Array[] = [];
  doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const w = new Writer(doc);
  doc.font(pdfFontOf(dhr.title, true)).fontSize(15).text(dhr.title);
  w.text(`Code: ${dhr.code} (short code ${dhr.shortCode})`);
  w.text(`Generated: ${dhr.generatedAt}`);
  for (const section of dhr.sections) writeSection(w, section, 0);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Flowing text at the current indent; pdfkit wraps it and turns the page when it must. */
class Writer {
  indent = 0;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  private get x() {
    return MARGIN + Math.min(this.indent, MAX_INDENT_LEVELS) * INDENT;
  }
  private get width() {
    return this.doc.page.width - MARGIN - this.x;
  }

  heading(text: string, level: number) {
    this.doc.moveDown(level === 0 ? 0.8 : 0.4);
    this.doc
      .font(pdfFontOf(text, true))
      .fontSize(level === 0 ? 12 : 10)
      .text(text, this.x, this.doc.y, { width: this.width });
    this.doc.moveDown(0.15);
  }

  text(text: string) {
    this.doc
      .font(pdfFontOf(text, false))
      .fontSize(BODY)
      .text(text, this.x, this.doc.y, { width: this.width });
  }

  /** `label: value` pairs of one item on one wrapped line; empty values are left out. */
  fields(pairs: [string, string | number | null | undefined][]) {
    const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
    this.text(shown.map(([k, v]) => (k ? `${k}: ${v}` : String(v))).join(' · '));
  }

  item(first: string, rest: () => void) {
    this.doc.moveDown(0.25);
    this.text(first);
    this.indent++;
    rest();
    this.indent--;
  }

  none() {
    this.text('None recorded.');
  }

  /** A table of short values: header repeated on each page, cells wrapped in their column. */
  table(columns: { title: string; width: number }[], rows: string[][]) {
    const doc = this.doc.fontSize(BODY);
    const bottom = () => doc.page.height - MARGIN;
    const drawRow = (cells: string[], bold: boolean) => {
      const fonts = cells.map((c) => pdfFontOf(c, bold));
      const height = Math.max(
        ...cells.map((c, i) =>
          doc.font(fonts[i]!).heightOfString(c, { width: columns[i]!.width - 4 }),
        ),
      );
      if (doc.y + height > bottom()) {
        doc.addPage();
        if (!bold) drawRow(header, true);
      }
      const y = doc.y;
      let x = MARGIN;
      cells.forEach((c, i) => {
        doc.font(fonts[i]!).text(c, x, y, { width: columns[i]!.width - 4 });
        x += columns[i]!.width;
      });
      doc.x = MARGIN;
      doc.y = y + height + 2;
    };
    const header = columns.map((c) => c.title);
    drawRow(header, true);
    for (const row of rows) drawRow(row, false);
  }
}

function writeSection(w: Writer, s: DhrSection, level: number): void {
  if (s.type === 'unit') {
    w.heading(`Unit ${s.label ?? ''} ${s.code}`.replace('  ', ' '), level);
    w.indent++;
    // Within a build's record a unit prints only the sections that hold something.
    for (const inner of s.sections.filter((x) => !isEmpty(x))) writeSection(w, inner, level + 1);
    w.indent--;
    return;
  }
  w.heading(TITLES[s.type], level);
  switch (s.type) {
    case 'identity':
      w.fields([['Code', s.code]]);
      w.fields([
        ['Short code', s.shortCode],
        ['Build serial', s.buildSerial],
      ]);
      w.fields([['Customer serials', s.customerSerials.join(', ') || 'none']]);
      w.fields([['UDI', s.udi ?? 'none (the part has no GTIN)']]);
      w.fields([
        ['Part', `${s.part.name} (${s.part.code})`],
        ['MPN', s.part.mpn],
      ]);
      w.fields([
        ['State', s.state],
        ['Created', s.createdAt],
      ]);
      return;
    case 'build':
      w.fields([
        ['Build', `${s.shortCode} (${s.code})`],
        ['Status', s.status],
      ]);
      w.fields([['Project', `${s.project.name} (${s.project.code})`]]);
      w.fields([
        ['Produces', `${s.part.name} (${s.part.code})`],
        ['BOM revision', s.bomRevision],
      ]);
      w.fields([['BOM approved', bomApprovalText(s.bomApproval)]]);
      w.fields([
        ['Quantity', s.quantity],
        ['Serialized', s.serialized ? 'yes' : 'no'],
        ['Started', s.startedAt],
        ['Finished', s.finishedAt],
      ]);
      w.fields([['Notes', s.notes]]);
      w.fields([['Finish note', s.finishNote]]);
      return;
    case 'bom':
      w.text(s.description);
      if (s.entries.length === 0) return w.none();
      for (const e of s.entries)
        w.fields([
          ['Entry', e.entryNo],
          ['stage', e.stage],
          ['', `${e.part.name} (${e.part.code})`],
          ['', `${e.quantity} ${e.unit} per unit`],
          ['designators', e.designators],
          ['', e.dnp ? 'DNP' : null],
          ['substitutes', e.substitutes.join(', ')],
          ['comments', e.comments],
        ]);
      return;
    case 'genealogy':
      if (s.installedIn)
        w.fields([['Installed in', `${s.installedIn.label ?? ''} ${s.installedIn.code}`.trim()]]);
      writeNode(w, s.root);
      return;
    case 'stages':
      if (s.completions.length === 0) return w.none();
      for (const c of s.completions)
        w.item(`Stage ${c.stage} (completion ${c.completion}) — ${c.at} by ${c.operator}`, () => {
          w.fields([['Units', c.units]]);
          w.fields([['Note', c.note]]);
        });
      return;
    case 'materials':
      if (s.consumed.length === 0) return w.none();
      for (const c of s.consumed)
        w.item(
          `Stage ${c.stage} (completion ${c.completion}) entry ${c.entryNo}: ${c.quantity} of ${c.part.name} (${c.part.code}) for units ${c.units}`,
          () =>
            w.fields([
              ['Lot', `${c.lot.shortCode} ${c.lot.code}`],
              ['name', c.lot.name],
              ['vendor lot', c.lot.vendorLot],
              ['date code', c.lot.dateCode],
              ['order', c.lot.orderRef],
            ]),
        );
      return;
    case 'tests':
      w.fields([['Status', s.status]]);
      for (const r of s.results)
        w.item(`${r.name} (${r.key}) #${r.id}: ${r.result}`, () => {
          w.fields([
            ['Value', r.value === null ? null : `${r.value} ${r.unit}`.trim()],
            ['min', r.min],
            ['max', r.max],
          ]);
          const extra = Object.entries(r.values).map(([k, v]) => `${k} = ${v}`);
          w.fields([['Values', extra.join(', ')]]);
          w.fields([
            ['Station', r.station],
            ['operator', r.operator],
            ['tested', r.testedAt],
            ['started', r.startedAt],
            ['ended', r.endedAt],
          ]);
          w.fields([
            ['Notes', r.notes],
            ['attachment', r.attachment],
          ]);
        });
      return;
    case 'installations':
      if (s.installed.length + s.installedIn.length === 0) return w.none();
      for (const i of s.installed)
        w.item(`Installed in it: ${i.unit.label ?? ''} ${i.unit.code} (${i.part})`, () =>
          installationFields(w, i),
        );
      for (const i of s.installedIn)
        w.item(`Installed into: ${i.unit.label ?? ''} ${i.unit.code}`, () =>
          installationFields(w, i),
        );
      return;
    case 'service_events':
      if (s.events.length === 0) return w.none();
      for (const e of s.events)
        w.item(`${e.at} ${e.type} by ${e.by} (${e.code})`, () => w.text(e.text));
      return;
    case 'shipments':
      if (s.shipments.length === 0) return w.none();
      for (const sh of s.shipments)
        w.item(
          `${sh.reversedAt ? 'Reversed: entered as shipped' : 'Shipped'} ${sh.shippedOn} to ${sh.customer} (${sh.code})`,
          () => {
            w.fields([
              ['Reference', sh.reference],
              ['note', sh.note],
            ]);
            if (sh.returnedAt)
              w.fields([
                ['Returned', sh.returnedAt],
                ['by', sh.returnedBy],
                ['reason', sh.returnReason],
              ]);
            if (sh.reversedAt)
              w.fields([
                ['Reversed', sh.reversedAt],
                ['by', sh.reversedBy],
                ['reason', sh.reverseReason],
              ]);
          },
        );
      return;
    case 'attachments':
      if (s.files.length === 0) return w.none();
      for (const f of s.files)
        w.item(`${f.fileName} (${f.code})`, () => {
          w.fields([['SHA-256', f.sha256]]);
          w.fields([
            ['Type', f.mediaType],
            ['size', `${f.size} bytes`],
            ['added', f.addedAt],
            ['by', f.addedBy],
          ]);
          w.fields([['Note', f.note]]);
        });
      return;
    case 'history':
      if (s.events.length === 0) return w.none();
      for (const e of s.events)
        w.fields([
          ['', `#${e.id} ${e.at} ${e.type} by ${e.by}`],
          ['', e.details],
        ]);
      return;
    case 'change_log':
      if (s.head)
        w.fields([
          ['Chain head', `site ${s.head.site}, record ${s.head.seq}, clock ${s.head.hlc}`],
          ['Head hash', s.head.hash],
        ]);
      for (const r of s.records)
        w.fields([
          ['', `#${r.seq} ${r.at} ${r.operation} by ${r.by} (${r.id})`],
          ['', r.hash],
        ]);
      return;
    case 'units':
      w.table(
        [
          { title: 'Unit', width: 75 },
          { title: 'Code', width: 150 },
          { title: 'Customer serials', width: 120 },
          { title: 'State', width: 85 },
          { title: 'Tests', width: 65 },
        ],
        s.units.map((u) => [u.label ?? '', u.code, u.customerSerials.join(', '), u.state, u.tests]),
      );
      return;
  }
}

function installationFields(
  w: Writer,
  i: {
    entryNo: number;
    installedAt: string;
    installedBy: string;
    removedAt: string | null;
    removedBy: string | null;
    removedReason: string | null;
  },
) {
  w.fields([
    ['Entry', i.entryNo],
    ['installed', i.installedAt],
    ['by', i.installedBy],
  ]);
  if (i.removedAt)
    w.fields([
      ['Removed', i.removedAt],
      ['by', i.removedBy],
      ['reason', i.removedReason],
    ]);
}

function writeNode(w: Writer, n: DhrNode): void {
  w.item(`${n.label ? `${n.label} ` : ''}${n.code} — ${n.part.name} (${n.part.code})`, () => {
    w.fields([
      ['MPN', n.part.mpn],
      ['lot name', n.lot.name],
      ['vendor lot', n.lot.vendorLot],
      ['date code', n.lot.dateCode],
      ['order', n.lot.orderRef],
      ['expires', n.lot.expiry],
    ]);
    if (n.via) w.text(n.via);
    for (const r of n.removed) w.text(`Removed since: ${r}`);
    for (const child of n.children) writeNode(w, child);
  });
}

function isEmpty(s: DhrSection): boolean {
  switch (s.type) {
    case 'tests':
      return s.results.length === 0 && s.status === 'none';
    case 'installations':
      return s.installed.length + s.installedIn.length === 0;
    case 'service_events':
    case 'history':
      return s.events.length === 0;
    case 'shipments':
      return s.shipments.length === 0;
    case 'attachments':
      return s.files.length === 0;
    default:
      return false;
  }
}

/** "by ann at 2026-…, signed by ann (approved) at …", or that the revision was not approved. */
function bomApprovalText(a: Extract<DhrSection, { type: 'build' }>['bomApproval']): string {
  if (!a) return 'not approved';
  const signed = a.signature
    ? `, signed by ${a.signature.signer} (${a.signature.meaning}) at ${a.signature.at}, record ${a.signature.record}`
    : ', not signed';
  return `by ${a.by} at ${a.at}${signed}${a.note ? ` — ${a.note}` : ''}`;
}
