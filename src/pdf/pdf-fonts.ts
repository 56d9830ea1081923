import { createRequire } from 'node:module';

/*
 * The fonts of Tracelot's PDF documents (the Device History Record, pick lists). Text is set in
 * the PDF's built-in Helvetica when every character of it has a glyph there (WinAnsi: most
 * records are ASCII), else in DejaVu Sans (shipped with Tracelot, as for labels), which has the
 * characters part names and notes may hold (Ω, ≤, →, …); pdfkit embeds only the glyphs used.
 * Helvetica is measured from its metrics table, DejaVu through fontkit's shaping of every word,
 * which made a unit's record ten times slower: hence Helvetica whenever it can.
 */

const require = createRequire(import.meta.url);
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** Characters the built-in fonts have (WinAnsi); anything else is set in DejaVu Sans. */
const WIN_ANSI = /^[\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\n]*$/;

/** Registers DejaVu Sans as 'Body' and 'Bold' in a new document. */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  doc.registerFont('Body', REGULAR);
  doc.registerFont('Bold', BOLD);
}

/** The font to set `text` in: Helvetica when it can, else DejaVu Sans. */
export function pdfFontOf(text: string, bold: boolean): string {
  if (WIN_ANSI.test(text)) return bold ? 'Helvetica-Bold' : 'Helvetica';
  return bold ? 'Bold' : 'Body';
}
