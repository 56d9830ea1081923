/** Sets of build serials as sorted, disjoint, inclusive ranges: [1–60] rather than 60 rows. */
export interface SerialRange {
  from: number;
  to: number;
}

/** Ranges of a set of serials, e.g. [3, 1, 2, 7] → [{1–3}, {7–7}]. */
export function toRanges(serials: Iterable<number>): SerialRange[] {
  const sorted = [...new Set(serials)].sort((a, b) => a - b);
  const ranges: SerialRange[] = [];
  for (const s of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last.to + 1 === s) last.to = s;
    else ranges.push({ from: s, to: s });
  }
  return ranges;
}

export function rangeSize(ranges: readonly SerialRange[]): number {
  return ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
}

export function inRanges(ranges: readonly SerialRange[], serial: number): boolean {
  return ranges.some((r) => r.from <= serial && serial <= r.to);
}

/** `1–60, 75, 80–99` */
export function formatRanges(ranges: readonly SerialRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`)).join(', ');
}
