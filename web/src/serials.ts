import { toRanges } from '../../src/domain/serial-ranges.js';

/**
 * Build serials as people type them: `1-60, 75, 80–99` (commas, semicolons or spaces between;
 * `-`, `–` or `..` inside a range). The server takes them as ranges (`toRanges`).
 */
export function parseSerials(
  text: string,
  max: number,
): { serials: number[]; error?: undefined } | { error: string; serials?: undefined } {
  const serials = new Set<number>();
  const parts = text
    .replace(/\s*(?:-|–|\.\.)\s*/g, '-')
    .split(/[,;\s]+/)
    .filter(Boolean);
  for (const part of parts) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return { error: `“${part}” is not a serial or a range such as 1-60` };
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to > max || from > to) {
      return { error: `“${part}”: serials run from 1 to ${max}, low to high` };
    }
    for (let s = from; s <= to; s++) serials.add(s);
  }
  return { serials: [...serials].sort((a, b) => a - b) };
}

/** `1-3, 7, 9-12`: the shortest text for a set of serials (as parseSerials reads it). */
export function formatSerials(serials: Iterable<number>): string {
  return toRanges(serials)
    .map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`))
    .join(', ');
}

export { toRanges };
