import { ConflictError, ValidationError } from './errors.js';
import {
  formatRanges,
  inRanges,
  intersectRanges,
  mergeRanges,
  rangeSize,
  subtractRanges,
  toRanges,
  type SerialRange,
} from './serial-ranges.js';
import { rangesOfRefs, type UnitRef } from './unit-refs.js';

/** A completion of a stage: for the units with serials in `ranges`, or (no ranges) the whole build. */
export interface StageCompletion {
  stage: number;
  ranges: SerialRange[];
}

/**
 * How far a build has come. A serialized build's units are the lots with serials 1..quantity,
 * made when it started and never deleted, so its progress is its completions and the serials
 * of its scrapped units (few): never a list of every unit.
 */
export interface BuildProgress {
  serialized: boolean;
  quantity: number;
  /** Every completion of the build, of every stage. */
  completions: readonly StageCompletion[];
  /** Serials of the scrapped units (none for a build without serials). */
  scrapped: readonly number[];
}

/** The stages of a BOM, ascending, each once: entries of stages 2, 1, 2 → [1, 2]. */
export function stagesOf(entries: readonly { stage: number }[]): number[] {
  return [...new Set(entries.map((e) => e.stage))].sort((a, b) => a - b);
}

/**
 * The units a completion of `stage` covers: those `requested` (checked), or all that still miss
 * the stage. `serialOf` has the serial of each unit the request names by code. Works on ranges
 * of serials, never on every unit of the build.
 */
export function unitsToComplete(
  build: BuildProgress,
  stage: number,
  requested: UnitRef[] | undefined,
  serialOf: ReadonlyMap<string, number>,
): { units: number; ranges: SerialRange[] } {
  const completions = build.completions.filter((c) => c.stage === stage);
  if (!build.serialized) {
    if (requested)
      throw new ValidationError('units', 'the build is not serialized: it has no units to name');
    if (completions.length > 0)
      throw new ConflictError(`stage ${stage} is complete already`, 'stage');
    return { units: build.quantity, ranges: [] };
  }
  const all: SerialRange[] = [{ from: 1, to: build.quantity }];
  const done = completions.some((c) => c.ranges.length === 0)
    ? all
    : mergeRanges(completions.flatMap((c) => c.ranges));
  const scrapped = build.scrapped;
  let ranges: SerialRange[];
  if (requested === undefined) {
    ranges = subtractRanges(subtractRanges(all, toRanges(scrapped)), done);
    if (ranges.length === 0)
      throw new ConflictError(`every unit has completed stage ${stage} already`, 'stage');
  } else {
    const named = rangesOfRefs(requested, all[0]!.to, serialOf);
    const gone = intersectRanges(named, toRanges(scrapped));
    if (gone.length > 0) {
      const i = named.findIndex((r) => intersectRanges([r], gone).length > 0);
      throw new ConflictError(
        `unit${rangeSize(gone) > 1 ? 's' : ''} ${formatRanges(gone)} ${rangeSize(gone) > 1 ? 'are' : 'is'} scrapped`,
        `units.${i}`,
      );
    }
    ranges = mergeRanges(named);
    const twice = intersectRanges(ranges, done);
    if (twice.length > 0) {
      throw new ConflictError(
        `stage ${stage} is complete already for unit${rangeSize(twice) > 1 ? 's' : ''} ${formatRanges(twice)}`,
        'units',
      );
    }
    if (rangeSize(ranges) !== rangeSize(named))
      throw new ValidationError('units', 'names a unit twice');
  }
  return { units: rangeSize(ranges), ranges };
}

/**
 * Of `stages`, those some surviving unit has not completed, with the serials missing them:
 * `{ stage: 2, units: 'units 3–5, 9' }`, or `units: 'the build'` for a build without serials.
 */
export function missingStages(
  build: BuildProgress,
  stages: readonly number[],
): { stage: number; units: string }[] {
  const surviving = subtractRanges([{ from: 1, to: build.quantity }], toRanges(build.scrapped));
  const missing: { stage: number; units: string }[] = [];
  for (const stage of stages) {
    const done = build.completions.filter((c) => c.stage === stage);
    if (!build.serialized) {
      if (done.length === 0) missing.push({ stage, units: 'the build' });
      continue;
    }
    const lacking = done.some((c) => c.ranges.length === 0)
      ? []
      : subtractRanges(
          surviving,
          done.flatMap((c) => c.ranges),
        );
    if (lacking.length > 0) missing.push({ stage, units: `units ${formatRanges(lacking)}` });
  }
  return missing;
}

/** How many units have completed `stage`, of `total`: a completion without ranges covers all. */
export function completedUnits(
  completions: readonly StageCompletion[],
  stage: number,
  total: number,
): number {
  const done = completions.filter((c) => c.stage === stage);
  return done.some((c) => c.ranges.length === 0)
    ? total
    : done.reduce((n, c) => n + rangeSize(c.ranges), 0);
}

/** The stages the unit with build serial `serial` has completed, ascending. */
export function stagesCompletedBy(
  completions: readonly StageCompletion[],
  serial: number,
): number[] {
  return [
    ...new Set(
      completions
        .filter((c) => c.ranges.length === 0 || inRanges(c.ranges, serial))
        .map((c) => c.stage),
    ),
  ].sort((a, b) => a - b);
}

/**
 * Refuses (409) the reversal of `target` while its units have moved on in a way a reversal
 * cannot undo: a later stage completed for some of them (that completion is reversed first,
 * latest stage first, so that no unit ever holds a stage without the ones before it), or some
 * scrapped since (what the completion consumed went out with them). `build.completions` are
 * those that count (not reversed), `target` among them.
 */
export function checkReversal(
  build: BuildProgress & { completions: readonly (StageCompletion & { id: number })[] },
  target: StageCompletion & { id: number },
): void {
  const whole: SerialRange[] = [{ from: 1, to: build.quantity }];
  const covered = target.ranges.length === 0 ? whole : target.ranges;
  const units = (ranges: SerialRange[]) =>
    build.serialized
      ? `unit${rangeSize(ranges) > 1 ? 's' : ''} ${formatRanges(ranges)}`
      : 'the build';
  for (const c of build.completions) {
    if (c.stage <= target.stage) continue;
    const shared = intersectRanges(covered, c.ranges.length === 0 ? whole : c.ranges);
    if (shared.length > 0) {
      throw new ConflictError(
        `stage ${c.stage} is completed for ${units(shared)} (completion ${c.id}): reverse that completion first`,
        'completion',
      );
    }
  }
  const gone = build.serialized ? intersectRanges(covered, toRanges(build.scrapped)) : [];
  if (gone.length > 0) {
    throw new ConflictError(
      `${units(gone)} ${rangeSize(gone) > 1 ? 'were' : 'was'} scrapped since: what the completion consumed went out with ${rangeSize(gone) > 1 ? 'them' : 'it'} and cannot be returned`,
      'completion',
    );
  }
}
