import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newCode, shortCode } from '../src/domain/code.js';
import { ValidationError } from '../src/domain/errors.js';
import {
  LABEL_MEDIA,
  resolveLabelMedia,
  type LabelMedia,
  type SheetMedia,
} from '../src/domain/label-media.js';
import {
  LABEL_SYMBOLOGIES,
  defaultTemplate,
  validateLabelTemplate,
  type LabelData,
  type LabelSymbology,
  type LabelTemplate,
} from '../src/domain/label-template.js';
import { DOT_MM, layoutLabel } from '../src/labels/label-layout.js';
import { embedded } from '../src/labels/label-fonts.js';
import { renderLabelsPdf } from '../src/labels/label-pdf.js';
import { encodeSymbol } from '../src/labels/label-symbol.js';
import { fieldHex, renderLabelsZpl } from '../src/labels/label-zpl.js';
import {
  decodeImage,
  decodeWithZbar,
  pdfPages,
  rasterisePdfPage,
  type Decoded,
} from './support/barcode-decode.js';

const GS1 = '(01)09506000134352(17)270101(10)A1(21)X';
/** The same data as encoded: fixed-length fields run on, variable ones end with GS (FNC1). */
const GS1_BYTES = '01095060001343521727010110A1\x1d21X';
const PT = 72 / 25.4;

function unit(n: number, overrides: Partial<LabelData> = {}): LabelData {
  const code = newCode();
  return {
    code,
    shortCode: shortCode(code),
    url: `https://trace.example.com/c/${code}`,
    partName: 'Sensor board rev C',
    mpn: 'TL-SB-003',
    buildSerial: `ab12cd34-${n}`,
    customerSerial: `ACME-2709-${String(n).padStart(5, '0')}`,
    gs1: GS1.replace('(21)X', `(21)X${n}`),
    ...overrides,
  };
}

/** A PDF of the labels, with the default 62 mm template, as pdftotext and pdffonts read it. */
async function pdfInfo(
  labels: LabelData[],
  bold = false,
): Promise<{ text: string; fonts: string }> {
  const template = defaultTemplate('tape-62x29');
  const lines = bold ? template.lines.map((l) => ({ ...l, bold: true })) : template.lines;
  const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-labels-'));
  try {
    const file = path.join(dir, 'labels.pdf');
    writeFileSync(file, await renderLabelsPdf({ ...template, lines }, labels));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    return { text, fonts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expected(symbology: LabelSymbology, data: LabelData) {
  if (symbology === 'gs1datamatrix')
    return { text: data.gs1!, bytes: GS1_BYTES.replace('21X', `21X${data.gs1!.slice(-1)}`) };
  const payload = symbology === 'code128' ? data.code : data.url;
  return { text: payload, bytes: payload };
}

const FORMAT: Record<LabelSymbology, string> = {
  qr: 'QRCode',
  datamatrix: 'DataMatrix',
  gs1datamatrix: 'DataMatrix',
  code128: 'Code128',
};
const IDENTIFIER: Record<LabelSymbology, string> = {
  qr: ']Q1',
  datamatrix: ']d1',
  gs1datamatrix: ']d2',
  code128: ']C0',
};

function checkDecoded(found: Decoded[], symbology: LabelSymbology, labels: LabelData[]) {
  const ours = found.filter((d) => d.format === FORMAT[symbology]);
  expect(ours.map((d) => d.text).sort()).toEqual(
    labels.map((l) => expected(symbology, l).text).sort(),
  );
  for (const d of ours) {
    expect(d.symbologyIdentifier).toBe(IDENTIFIER[symbology]);
    const label = labels.find((l) => expected(symbology, l).text === d.text)!;
    expect(d.bytes).toBe(expected(symbology, label).bytes);
  }
}

const SIZES: (string | { widthMm: number; heightMm: number })[] = [
  ...LABEL_MEDIA.map((m) => m.id),
  { widthMm: 40, heightMm: 20 },
];
const nameOf = (media: string | { widthMm: number; heightMm: number }) =>
  typeof media === 'string' ? media : `custom ${media.widthMm}×${media.heightMm}`;

/** Whether the code of a unit fits as Code 128 with bars of 2 dots and its quiet zones. */
function code128Fits(media: LabelMedia, data: LabelData): boolean {
  const bars = encodeSymbol('code128', data.code);
  const modules = bars.columns + 2 * bars.quietModules;
  return modules * 2 * DOT_MM <= media.widthMm - 2 * media.marginMm;
}

describe('labels: every preset and symbology scans back from the PDF at 300 dpi', () => {
  for (const media of SIZES) {
    const size = resolveLabelMedia(media);
    for (const symbology of LABEL_SYMBOLOGIES) {
      it(`${nameOf(media)}: ${symbology}`, async () => {
        const template = defaultTemplate(media, symbology);
        const labels = [unit(1), unit(2), unit(3)];
        if (symbology === 'code128' && !code128Fits(size, labels[0]!)) {
          // Bars of 2 dots at 300 dpi do not fit: refused, naming the media and what fits.
          await expect(renderLabelsPdf(template, labels)).rejects.toThrow(
            `${size.name} has ${(size.widthMm - 2 * size.marginMm).toFixed(1)} mm: choose qr or datamatrix or gs1datamatrix for this media, or a wider label`,
          );
          return;
        }
        const pdf = await renderLabelsPdf(template, labels);
        const pages = pdfPages(pdf);
        if (size.kind === 'sheet') {
          expect(pages.count).toBe(1);
          expect(pages.sizes[0]![0]).toBeCloseTo(210 * PT, 1);
          expect(pages.sizes[0]![1]).toBeCloseTo(297 * PT, 1);
          checkDecoded(await decodeImage(rasterisePdfPage(pdf, 1)), symbology, labels);
        } else {
          expect(pages.count).toBe(3);
          for (const [w, h] of pages.sizes) {
            expect(w).toBeCloseTo(size.widthMm * PT, 1);
            expect(h).toBeCloseTo(size.heightMm * PT, 1);
          }
          const moduleDots = layoutLabel(size, template, labels[0]!).symbol.moduleMm / DOT_MM;
          // Two of the three pages are enough to show each label gets its own payload.
          for (const page of [1, 3]) {
            const png = rasterisePdfPage(pdf, page);
            checkDecoded(await decodeImage(png), symbology, [labels[page - 1]!]);
            if (symbology === 'code128') expect(moduleDots).toBeGreaterThanOrEqual(2);
            if (symbology === 'qr' || symbology === 'code128')
              expect(decodeWithZbar(png)).toEqual([expected(symbology, labels[page - 1]!).text]);
          }
        }
      });
    }
  }
});

describe('labels: sheets', () => {
  const sheet = resolveLabelMedia('a4-3x8') as SheetMedia;
  const cellOf = (d: Decoded) => {
    const xMm = (d.x * 25.4) / 300;
    const yMm = (d.y * 25.4) / 300;
    const column = Math.floor((xMm - sheet.leftMm) / sheet.pitchXMm);
    const row = Math.floor((yMm - sheet.topMm) / sheet.pitchYMm);
    return row * sheet.columns + column + 1;
  };

  it('starts at startPosition on a partly used sheet and fills rows left to right', async () => {
    const labels = [unit(1), unit(2), unit(3)];
    const pdf = await renderLabelsPdf(defaultTemplate('a4-3x8'), labels, { startPosition: 5 });
    expect(pdfPages(pdf).count).toBe(1);
    const found = await decodeImage(rasterisePdfPage(pdf, 1));
    const cells = labels.map((l) => cellOf(found.find((d) => d.text === l.url)!));
    expect(cells).toEqual([5, 6, 7]);
  });

  it('goes on to a new sheet after the last cell', async () => {
    const labels = [unit(1), unit(2), unit(3)];
    const pdf = await renderLabelsPdf(defaultTemplate('a4-3x8', 'qr'), labels, {
      startPosition: 23,
    });
    expect(pdfPages(pdf).count).toBe(2);
    const second = await decodeImage(rasterisePdfPage(pdf, 2));
    expect(second.map((d) => [d.text, cellOf(d)])).toEqual([[labels[2]!.url, 1]]);
  });

  it('refuses a start position outside the sheet, and on roll media', async () => {
    for (const startPosition of [0, 25, 1.5])
      await expect(
        renderLabelsPdf(defaultTemplate('a4-3x8'), [unit(1)], { startPosition }),
      ).rejects.toThrow(/startPosition: must be a whole number from 1 to 24/);
    await expect(
      renderLabelsPdf(defaultTemplate('tape-62x29'), [unit(1)], { startPosition: 2 }),
    ).rejects.toThrow(/startPosition: applies to sheets only/);
  });
});

describe('labels: layout', () => {
  it('makes symbol modules whole 300 dpi dots and keeps text inside the label', () => {
    for (const media of SIZES)
      for (const symbology of LABEL_SYMBOLOGIES) {
        const size = resolveLabelMedia(media);
        if (symbology === 'code128' && !code128Fits(size, unit(1))) continue;
        const layout = layoutLabel(size, defaultTemplate(media, symbology), unit(12345));
        const where = `${nameOf(media)} ${symbology}`;
        expect(layout.symbol.crisp, where).toBe(true);
        const dots = layout.symbol.moduleMm / DOT_MM;
        expect(Math.abs(dots - Math.round(dots)), where).toBeLessThan(1e-9);
        expect(layout.lines.length, where).toBeGreaterThan(0);
        for (const line of layout.lines) {
          expect(line.xMm, where).toBeGreaterThanOrEqual(size.marginMm - 1e-9);
          expect(line.xMm + line.widthMm, where).toBeLessThanOrEqual(
            size.widthMm - size.marginMm + 1e-9,
          );
          expect(line.yMm + (line.sizePt * 1.2) / PT, where).toBeLessThanOrEqual(
            size.heightMm - size.marginMm + 1e-9,
          );
        }
      }
  });

  it('shrinks a long line to the width and drops the lines that do not fit', () => {
    const media = resolveLabelMedia('tape-12x48');
    const template: LabelTemplate = {
      ...defaultTemplate('tape-12x48'),
      lines: [
        { parts: ['shortCode'], sizePt: 12 },
        { parts: ['partName'] },
        { parts: ['mpn'] },
        { parts: ['customerSerial'] },
      ],
    };
    const long = unit(1, {
      partName: 'A part name so long that it cannot fit at any size. '.repeat(2),
    });
    const layout = layoutLabel(media, template, long);
    const texts = layout.lines.map((l) => l.text);
    expect(texts[0]).toBe(long.shortCode);
    expect(texts).not.toContain(long.partName);
    expect(texts.length).toBeLessThan(4);
    const wide = layoutLabel(
      media,
      { ...template, lines: [{ parts: ['customerSerial'], sizePt: 20 }] },
      long,
    ).lines[0]!;
    expect(wide.text).toBe(long.customerSerial);
    expect(wide.sizePt).toBeLessThan(20);
    expect(wide.xMm + wide.widthMm).toBeLessThanOrEqual(media.widthMm - media.marginMm);
  });

  it('leaves out a line whose fields are all empty, keeps free text', () => {
    const media = resolveLabelMedia('tape-62x29');
    const template: LabelTemplate = {
      ...defaultTemplate('tape-62x29'),
      lines: [
        { parts: [{ text: 'S/N ' }, 'customerSerial'] },
        { parts: [{ text: 'Made in Lyon' }] },
        { parts: ['custom:rev', { text: ' / ' }, 'date'] },
      ],
    };
    const data = unit(1, { customerSerial: undefined, customFields: { rev: 'C' } });
    expect(layoutLabel(media, template, data).lines.map((l) => l.text)).toEqual([
      'Made in Lyon',
      'C / ',
    ]);
  });

  it('sets characters beyond Helvetica in embedded DejaVu Sans, and those no font has as ?', async () => {
    // 𓀀 (an Egyptian hieroglyph) is in no font here.
    const data = unit(1, { partName: 'Cap 10µF – 10 kΩ ≤ 5 V → Ом 𓀀 Ünïcode' });
    const mixed = await pdfInfo([data]);
    expect(mixed.text).toContain('Cap 10µF – 10 kΩ ≤ 5 V → Ом ? Ünïcode');
    // Embedded as a subset (name prefixed with six letters and +), next to the built-in one.
    expect(mixed.fonts).toMatch(
      /[A-Z]{6}\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/,
    );
    expect(mixed.fonts).toMatch(/Helvetica\s/);
    const bold = await pdfInfo([data], true);
    expect(bold.text).toContain('10 kΩ ≤ 5 V');
    expect(bold.fonts).toMatch(/[A-Z]{6}\+DejaVuSans-Bold\s/);
    // A label in plain Latin text embeds nothing.
    const plain = await pdfInfo([unit(2)]);
    expect(plain.fonts).not.toContain('DejaVu');
    expect(plain.fonts).not.toContain('+');
  });

  // CI installs a font for them (fonts-wqy-microhei); a developer's machine may have none.
  it.skipIf(!embedded('System') && !process.env.CI)(
    "sets Chinese, Japanese and Korean in the machine's font, and fits them to the label",
    async () => {
      const system = embedded('System');
      expect(system, 'a font for Chinese, Japanese and Korean').toBeDefined();
      const name = system!.font.postscriptName;
      const partName = '電源モジュール 전원 Ω 5 V';
      const mixed = await pdfInfo([unit(1, { partName })]);
      expect(mixed.text).toContain(partName);
      expect(mixed.fonts).toContain(`+${name}`);
      expect(mixed.fonts).toMatch(/\+DejaVuSans\s/);
      // Bold uses the machine's bold font when it has one, else its regular one.
      const bold = await pdfInfo([unit(1, { partName })], true);
      expect(bold.text).toContain(partName);
      expect(bold.fonts).toContain(`+${embedded('System-Bold')!.font.postscriptName}`);
      // Wide characters are measured in their font, so that a line of them fits the label.
      const media = resolveLabelMedia('tape-62x29');
      const template: LabelTemplate = {
        ...defaultTemplate('tape-62x29'),
        lines: [{ parts: ['partName'] }],
      };
      const line = layoutLabel(media, template, unit(1, { partName: '電'.repeat(12) })).lines[0]!;
      expect(line.text).toBe('電'.repeat(12));
      expect(line.xMm + line.widthMm).toBeLessThanOrEqual(media.widthMm - media.marginMm + 1e-9);
      // Measured as the glyphs are (about 1 em each), not guessed.
      const ems = line.widthMm / ((12 * line.sizePt) / PT);
      expect(ems).toBeGreaterThan(0.9);
      expect(ems).toBeLessThanOrEqual(1.05);
    },
  );

  it('measures DejaVu text with its own widths, so that it fits the label like any other', () => {
    const media = resolveLabelMedia('tape-62x29');
    const template: LabelTemplate = {
      ...defaultTemplate('tape-62x29'),
      lines: [{ parts: ['partName'] }],
    };
    const latin = layoutLabel(media, template, unit(1, { partName: 'WWWWWWWWWWWWWWWWWWWW' }))
      .lines[0]!;
    const greek = layoutLabel(media, template, unit(1, { partName: 'ΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩ' }))
      .lines[0]!;
    for (const line of [latin, greek]) {
      expect(line.xMm + line.widthMm).toBeLessThanOrEqual(media.widthMm - media.marginMm + 1e-9);
    }
    // DejaVu's Ω is narrower than a Helvetica W (0.76 em against 0.94 em), not a guessed 1 em.
    expect(greek.widthMm / greek.sizePt).toBeLessThan((latin.widthMm / latin.sizePt) * 0.85);
  });

  it('prints the GS1 element string under a GS1 DataMatrix', () => {
    const layout = layoutLabel(
      resolveLabelMedia('tape-62x29'),
      defaultTemplate('tape-62x29', 'gs1datamatrix'),
      unit(1),
    );
    const hri = layout.lines.find((l) => l.text.startsWith('(01)'))!;
    expect(hri.yMm).toBeGreaterThan(layout.symbol.yMm + layout.symbol.heightMm);
  });

  it('refuses a Code 128 too wide for the label rather than printing it unreadable', async () => {
    const template: LabelTemplate = { ...defaultTemplate('tape-12x48', 'code128'), content: 'url' };
    await expect(renderLabelsPdf(template, [unit(1)])).rejects.toThrow(
      /symbology: code128 of 'https:.*' needs [\d.]+ mm of width \(bars of at least 0.17 mm, which 300 dpi scanners read\); 12 mm tape, cut at 48 mm \(Brother TZe\) has 45.6 mm: choose qr or datamatrix or gs1datamatrix for this media, or a wider label/,
    );
  });
});

describe('labels: the human-readable UDI on small media', () => {
  // A UDI as long as Tracelot makes them: a build's short code as lot, 20 characters of serial.
  const gs1 = '(01)09506000134352(11)261205(17)270101(10)ab12cd34(21)0123456789abcdefghjk';
  const text = '(01)09506000134352(11)2026-12-05(17)270101(10)ab12cd34(21)0123456789abcdefghjk';
  const small = ['thermal-2x1in', 'tape-29x50', 'address-25x54', 'a4-5x13', 'tape-12x48'];

  for (const media of small)
    it(`${media}: prints the whole text with the symbol, the production date as YYYY-MM-DD, or refuses`, async () => {
      const size = resolveLabelMedia(media);
      const template = defaultTemplate(media, 'gs1datamatrix');
      const data = unit(1, { gs1 });
      let pdf: Buffer;
      try {
        pdf = await renderLabelsPdf(template, [data]);
      } catch (error) {
        expect(String(error)).toContain(
          `media: the human-readable UDI '${text}' does not fit ${size.name} at 5 pt or more, even on two lines: choose a larger label`,
        );
        return;
      }
      const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-udi-'));
      try {
        writeFileSync(path.join(dir, 'udi.pdf'), pdf);
        const read = execFileSync('pdftotext', [path.join(dir, 'udi.pdf'), '-'], {
          encoding: 'utf8',
        });
        expect(read.replace(/\s+/g, '')).toContain(text);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const layout = layoutLabel(size, template, data);
      const hri = layout.lines.filter((l) => l.text.startsWith('('));
      expect(hri.map((l) => l.text).join('')).toBe(text);
      for (const line of hri) expect(line.sizePt).toBeGreaterThanOrEqual(5);
      const found = await decodeImage(rasterisePdfPage(pdf, 1));
      expect(found.map((d) => d.text)).toContain(gs1);
    });

  it('refuses rather than print the symbol alone where the text cannot fit', async () => {
    await expect(
      renderLabelsPdf(defaultTemplate({ widthMm: 20, heightMm: 12 }, 'gs1datamatrix'), [
        unit(1, { gs1 }),
      ]),
    ).rejects.toThrow(/media: the human-readable UDI .* does not fit 20 × 12 mm custom labels/);
  });
});

describe('labels: ZPL', () => {
  const data = unit(7, { partName: 'Cap ^XZ ~JA 10_uF' });

  it('sizes each label in printer dots and wraps it in ^XA … ^XZ', () => {
    const zpl300 = renderLabelsZpl(defaultTemplate('tape-62x29'), [data, unit(8)]);
    expect(zpl300.match(/\^XA/g)).toHaveLength(2);
    expect(zpl300.match(/\^XZ/g)).toHaveLength(2);
    expect(zpl300).toContain('^PW732\n^LL343');
    const zpl203 = renderLabelsZpl(defaultTemplate('thermal-4x6in'), [data], { dpi: 203 });
    expect(zpl203).toContain('^PW812\n^LL1218');
    expect(() =>
      renderLabelsZpl(defaultTemplate('tape-62x29'), [data], { dpi: 600 as 300 }),
    ).toThrow(/dpi: must be one of 203, 300/);
  });

  it("uses the printer's own symbols with whole-dot modules", () => {
    const zpl = (s: LabelSymbology, dpi: 203 | 300 = 300) =>
      renderLabelsZpl(defaultTemplate('tape-62x29', s), [data], { dpi });
    expect(zpl('qr')).toMatch(new RegExp(`\\^BQN,2,\\d+\\^FH\\^FDMA,${data.url}\\^FS`));
    expect(zpl('datamatrix')).toMatch(new RegExp(`\\^BXN,\\d+,200\\^FH\\^FD${data.url}\\^FS`));
    expect(zpl('code128')).toMatch(
      new RegExp(`\\^BY\\d\\^BCN,\\d+,N,N,N,A\\^FH\\^FD${data.code}\\^FS`),
    );
    expect(zpl('code128', 300)).toContain('^BY2^BCN');
    const thermal = (dpi: 203 | 300) =>
      renderLabelsZpl(defaultTemplate('thermal-4x6in', 'code128'), [data], { dpi });
    // Never one dot: 2 dots at 203 dpi (0.25 mm), as at 300 dpi.
    expect(thermal(203)).toContain('^BY2^BCN');
    expect(thermal(300)).toContain('^BY3^BCN');
    expect(() => zpl('code128', 203)).toThrow(
      /symbology: code128 of '\w+' needs [\d.]+ mm of width at 203 dpi \(bars of at least 0.17 mm, which 300 dpi scanners read\); 62 mm continuous tape, cut at 29 mm \(Brother DK-22205\) has 59.0 mm: choose qr or datamatrix or gs1datamatrix for this media/,
    );
    expect(zpl('qr')).toMatch(/\^FT\d+,\d+\^A0N,\d+,\d+\^FH\^FD/);
  });

  it('encodes GS1 DataMatrix with FNC1 first and after variable-length fields', () => {
    const zpl = renderLabelsZpl(defaultTemplate('tape-62x29', 'gs1datamatrix'), [data]);
    // ~1 is ^BX's FNC1, written through ^FH as _7E1.
    expect(zpl).toContain('^FH^FD_7E101095060001343521727010110A1_7E121X7^FS');
    expect(zpl).toContain(`^FD(01)09506000134352(17)270101(10)A1(21)X7^FS`);
  });

  it('escapes ^, ~ and _ in every field with ^FH', () => {
    const zpl = renderLabelsZpl(defaultTemplate('thermal-4x6in', 'datamatrix'), [
      { ...data, url: 'https://x.example/~a^b_c' },
    ]);
    expect(zpl).toContain('^FDCap _5EXZ _7EJA 10_5FuF^FS');
    // A literal ~ in DataMatrix data is ^BX's escape ~d126, itself written through ^FH.
    expect(zpl).toContain('^FDhttps://x.example/_7Ed126a_5Eb_5Fc^FS');
    for (const field of zpl.matchAll(/\^FD(.*?)\^FS/g)) expect(field[1]).not.toMatch(/[\^~]/);
    expect(fieldHex('a\tb')).toBe('a_09b');
  });
});

describe('labels: templates', () => {
  it('has a default template for every preset and symbology that validates', () => {
    for (const media of SIZES)
      for (const symbology of LABEL_SYMBOLOGIES) {
        const template = defaultTemplate(media, symbology);
        expect(validateLabelTemplate(JSON.parse(JSON.stringify(template)))).toEqual(template);
      }
    expect(defaultTemplate('tape-12x48').lines).toEqual([{ parts: ['shortCode'], bold: true }]);
    expect(defaultTemplate('tape-62x29', 'code128').content).toBe('code');
  });

  const valid = { media: 'tape-62x29', symbology: 'qr', content: 'url', lines: [] };
  it.each([
    [{ ...valid, media: 'tape-99' }, /media: unknown media 'tape-99'; presets: tape-62x29/],
    [{ ...valid, media: { widthMm: 5, heightMm: 20 } }, /media.widthMm: must be a number/],
    [{ ...valid, media: { widthMm: 40 } }, /media.heightMm: must be a number/],
    [{ ...valid, media: undefined }, /media: must be a preset id or \{ widthMm, heightMm \}/],
    [{ ...valid, symbology: 'pdf417' }, /symbology: unknown symbology "pdf417"; one of qr/],
    [{ ...valid, content: 'serial' }, /content: unknown content "serial"/],
    [{ ...valid, lines: 'shortCode' }, /lines: must be a list/],
    [{ ...valid, lines: [{ parts: [] }] }, /lines\[0\]: must be \{ parts/],
    [{ ...valid, lines: [{ parts: ['colour'] }] }, /lines\[0\].parts\[0\]: unknown field "colour"/],
    [{ ...valid, lines: [{ parts: [{ text: '' }] }] }, /lines\[0\].parts\[0\].text: must be text/],
    [{ ...valid, lines: [{ parts: ['mpn'], sizePt: '9' }] }, /lines\[0\].sizePt: must be a font/],
    [
      { ...valid, media: 'tape-12x48', lines: [{ parts: ['mpn'], sizePt: 30 }] },
      /lines\[0\].sizePt: font too large for the label: a 30 pt line needs 12.7 mm, the label has 9.6 mm/,
    ],
    [{ ...valid, lines: [{ parts: ['mpn'], bold: 'yes' }] }, /lines\[0\].bold: must be true/],
    [null, /template: must be an object/],
  ])('rejects %j', (input, message) => {
    expect(() => validateLabelTemplate(input)).toThrow(ValidationError);
    expect(() => validateLabelTemplate(input)).toThrow(message);
  });

  it('accepts custom fields and custom sizes', () => {
    const template = validateLabelTemplate({
      media: { widthMm: 40, heightMm: 20 },
      symbology: 'datamatrix',
      lines: [{ parts: ['custom:Firmware', { text: ' fw' }], sizePt: 8, bold: true }],
    });
    expect(template.content).toBe('url');
    expect(template.lines[0]!.parts[0]).toBe('custom:Firmware');
  });

  it('needs GS1 data in bracketed form for a GS1 DataMatrix', async () => {
    const template = defaultTemplate('tape-62x29', 'gs1datamatrix');
    await expect(renderLabelsPdf(template, [unit(1, { gs1: undefined })])).rejects.toThrow(
      /gs1: a gs1datamatrix label needs GS1 data/,
    );
    await expect(renderLabelsPdf(template, [unit(1, { gs1: '0109506000134352' })])).rejects.toThrow(
      /gs1: must be GS1 element strings in bracketed form/,
    );
    await expect(
      renderLabelsPdf(template, [unit(1, { gs1: '(01)09506000134353' })]),
    ).rejects.toThrow(/gs1: cannot encode as gs1datamatrix/);
  });
});
