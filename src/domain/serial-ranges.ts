/** Sets of build serials as sorted, disjoint, inclusive ranges: [1–60] rather than 60 rows. */
export interface SerialRange {
  from: number;
  to: number;
}

/** Ranges of a set of serials, e.g. [3, 1, 2, 7] → [{1–3}, {7–7}]. */
export function toRanges(serials: Iterable<number>): SerialRange[] {
  const list = [...serials];
  // Serials usually come in ascending order (1..N, a scanner's run): no set, no sort then.
  const ascending = list.every((s, i) => i === 0 || s > list[i - 1]!);
  const sorted = ascending ? list : [...new Set(list)].sort((a, b) => a - b);
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

/**
 * `1–60, 75, 80–99`. Text a person edits or a URL carries takes `dash` '-' (`1-60, 75`):
 * `parseUnitRefs` reads both.
 */
export function formatRanges(ranges: readonly SerialRange[], dash = '–'): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}${dash}${r.to}`)).join(', ');
}

/** Overlapping or adjacent ranges joined, sorted: [{5–9}, {1–4}, {8–12}] → [{1–12}]. */
export function mergeRanges(ranges: readonly SerialRange[]): SerialRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const merged: SerialRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}

/** Serials of `a` that are also in `b`, as ranges. */
export function intersectRanges(
  a: readonly SerialRange[],
  b: readonly SerialRange[],
): SerialRange[] {
  const x = mergeRanges(a);
  const y = mergeRanges(b);
  const out: SerialRange[] = [];
  for (let i = 0, j = 0; i < x.length && j < y.length;) {
    const from = Math.max(x[i]!.from, y[j]!.from);
    const to = Math.min(x[i]!.to, y[j]!.to);
    if (from <= to) out.push({ from, to });
    if (x[i]!.to < y[j]!.to) i++;
    else j++;
  }
  return out;
}

/** Serials of `a` that are not in `b`, as ranges: [{1–10}] − [{3–4}] → [{1–2}, {5–10}]. */
export function subtractRanges(
  a: readonly SerialRange[],
  b: readonly SerialRange[],
): SerialRange[] {
  const cut = mergeRanges(b);
  const out: SerialRange[] = [];
  let j = 0; // both sides are sorted: cuts wholly before the current range are done with
  for (const r of mergeRanges(a)) {
    while (j < cut.length && cut[j]!.to < r.from) j++;
    let from = r.from;
    for (let k = j; k < cut.length && cut[k]!.from <= r.to; k++) {
      if (cut[k]!.from > from) out.push({ from, to: cut[k]!.from - 1 });
      from = Math.max(from, cut[k]!.to + 1);
    }
    if (from <= r.to) out.push({ from, to: r.to });
  }
  return out;
}
