import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { PT_MM } from '../domain/label-template.js';

/**
 * The fonts of label text. Most text is set in the PDF's built-in Helvetica, which needs no
 * embedding but has WinAnsi glyphs only; characters beyond it (Ω, ≤, →, Greek, Cyrillic, …) are
 * set in DejaVu Sans, which ships with Tracelot. Chinese, Japanese and Korean are set in a font
 * of the machine's, when it has one (SYSTEM_FONTS, or the file TRACELOT_LABEL_FONT names):
 * such fonts are too big to ship. Embedded fonts carry only the glyphs used, and only when a
 * label needs them. A character no font has prints as '?'. Part names such as "10 kΩ ±1 %"
 * are common on electronics labels.
 */

export type FontName =
  'Helvetica' | 'Helvetica-Bold' | 'DejaVuSans' | 'DejaVuSans-Bold' | 'System' | 'System-Bold';

type EmbeddedName = Exclude<FontName, 'Helvetica' | 'Helvetica-Bold'>;

/** A stretch of a line set in one font. */
export interface TextRun {
  text: string;
  font: FontName;
}

/** Helvetica's ascender, as a share of the font size: from the line's top to its baseline. */
export const HELVETICA_ASCENT = 0.718;

const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const ASCII_ONLY = /^[\x20-\x7e]*$/;

/** The line in runs of one font each, with characters no font has replaced by '?'. */
export function textRuns(text: string, bold: boolean): TextRun[] {
  const base: FontName = bold ? 'Helvetica-Bold' : 'Helvetica';
  if (ASCII_ONLY.test(text)) return [{ text, font: base }];
  const runs: TextRun[] = [];
  for (const c of text) {
    const font = fontFor(c, bold);
    const last = runs[runs.length - 1];
    const glyph = font ? c : '?';
    const runFont = font ?? base;
    if (last?.font === runFont) last.text += glyph;
    else runs.push({ text: glyph, font: runFont });
  }
  return runs;
}

function fontFor(c: string, bold: boolean): FontName | undefined {
  const code = c.codePointAt(0)!;
  if (
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    WIN_ANSI_EXTRA.includes(c)
  )
    return bold ? 'Helvetica-Bold' : 'Helvetica';
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return undefined;
  const fallbacks: EmbeddedName[] = bold
    ? ['DejaVuSans-Bold', 'System-Bold']
    : ['DejaVuSans', 'System'];
  return fallbacks.find((name) => embedded(name)?.font.hasGlyphForCodePoint(code));
}

/** The width of a line of label text at a size, run by run in the font it is set in. */
export function textWidthMm(text: string, sizePt: number, bold = false): number {
  let em = 0;
  for (const run of textRuns(text, bold)) em += runWidthEm(run);
  return em * sizePt * PT_MM;
}

/** A run's advance in ems. */
export function runWidthEm(run: TextRun): number {
  const font = embedded(run.font)?.font;
  if (font) return font.layout(run.text).advanceWidth / font.unitsPerEm;
  if (!ASCII_ONLY.test(run.text)) {
    // µ, é, – and the like: pdfkit's own Helvetica metrics, from the font's AFM file.
    measuring ??= new PDFDocument({ autoFirstPage: false });
    return measuring.font(run.font).fontSize(1).widthOfString(run.text);
  }
  const table = run.font === 'Helvetica-Bold' ? HELVETICA_BOLD : HELVETICA;
  let units = 0;
  for (let i = 0; i < run.text.length; i++) units += table[run.text.charCodeAt(i) - 32]!;
  return units / 1000;
}

/** A document that is never written, for measuring text in the built-in fonts. */
let measuring: PDFKit.PDFDocument | undefined;

/** From the line's top to its baseline, as a share of the font size, in the font of the run. */
export function ascentOf(font: FontName): number {
  const f = embedded(font)?.font;
  return f ? f.ascent / f.unitsPerEm : HELVETICA_ASCENT;
}

/**
 * Where the machine's fonts for Chinese, Japanese and Korean are on Debian and Ubuntu
 * (fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei, fonts-droid-fallback): the first found
 * is used. TRACELOT_LABEL_FONT names another file (TrueType or OpenType, or a collection, whose
 * first font is used).
 */
export const SYSTEM_FONTS = {
  regular: [
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
    '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  ],
  bold: ['/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'],
};

/** An embedded font: its file, its name in a collection, and the font read from it. */
export interface EmbeddedFont {
  file: string;
  /** The font's PostScript name when the file is a collection (pdfkit's "family"). */
  family?: string;
  font: fontkit.Font;
}

const require = createRequire(import.meta.url);

/**
 * The files an embedded font may come from, in order: the machine's may be missing, and its bold
 * falls back to its regular.
 */
function filesOf(name: EmbeddedName): string[] {
  if (name === 'DejaVuSans' || name === 'DejaVuSans-Bold')
    return [require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`)];
  const system =
    name === 'System-Bold' ? [...SYSTEM_FONTS.bold, ...SYSTEM_FONTS.regular] : SYSTEM_FONTS.regular;
  const chosen = process.env.TRACELOT_LABEL_FONT;
  return chosen ? [chosen, ...system] : system;
}

const loaded = new Map<EmbeddedName, EmbeddedFont | null>();

/**
 * An embedded font, read once on first use; undefined for the PDF's built-in Helvetica, and for
 * the machine's font when it has none. A chosen file that cannot be read is warned of, and the
 * machine's own fonts are used instead: labels still print.
 */
export function embedded(name: FontName): EmbeddedFont | undefined {
  if (name === 'Helvetica' || name === 'Helvetica-Bold') return undefined;
  let entry = loaded.get(name);
  if (entry === undefined) {
    entry = null;
    for (const file of filesOf(name)) {
      if (file !== process.env.TRACELOT_LABEL_FONT && !existsSync(file)) continue;
      try {
        entry = open(file);
        break;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        process.emitWarning(`label font ${file} cannot be used (${reason})`, 'TracelotWarning');
      }
    }
    loaded.set(name, entry);
  }
  return entry ?? undefined;
}

/** Font files read so far: regular and bold often share the machine's one file (5–20 MB). */
const files = new Map<string, EmbeddedFont>();

function open(file: string): EmbeddedFont {
  let found = files.get(file);
  if (!found) {
    const opened = fontkit.openSync(file);
    if ('hasGlyphForCodePoint' in opened) found = { file, font: opened };
    else {
      const font = opened.fonts[0];
      if (!font) throw new Error(`${file} is an empty font collection`);
      found = { file, family: font.postscriptName, font };
    }
    files.set(file, found);
  }
  return found;
}

// Advance widths of printable ASCII (32–126) in 1/1000 em, from the Adobe Helvetica AFM files
// that pdfkit embeds: most label text is ASCII, measured without pdfkit.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
  611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
  278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
