import { encodeSymbol } from '../labels/label-symbol.js';

const UPPER = '\u2580';
const LOWER = '\u2584';
const FULL = '\u2588';
// Black on white whatever the terminal's colours, so a phone reads it on dark and light themes.
const ON = '\x1b[30;47m';
const OFF = '\x1b[0m';

/**
 * A QR code of `text` drawn with half blocks, two module rows per line, quiet zone included.
 * With `ansi`, colours are forced (dark modules black on white); without, dark modules are the
 * drawn blocks (for files and terminals without colour).
 */
export function terminalQr(text: string, ansi: boolean): string[] {
  const symbol = encodeSymbol('qr', text);
  if (symbol.kind !== 'matrix') throw new Error('a QR code is a matrix symbol');
  const quiet = ansi ? 2 : symbol.quietModules;
  const size = symbol.columns + 2 * quiet;
  const dark = (x: number, y: number): boolean => {
    const column = x - quiet;
    const row = y - quiet;
    if (column < 0 || row < 0 || column >= symbol.columns || row >= symbol.rows) return false;
    return symbol.modules[row * symbol.columns + column] === 1;
  };
  const lines: string[] = [];
  for (let y = 0; y < size; y += 2) {
    let line = '';
    for (let x = 0; x < size; x++) {
      const top = dark(x, y);
      const bottom = y + 1 < size && dark(x, y + 1);
      line += top ? (bottom ? FULL : UPPER) : bottom ? LOWER : ' ';
    }
    lines.push(ansi ? ON + line + OFF : line);
  }
  return lines;
}
