import { describe, expect, it } from 'vitest';
import {
  completedUnits,
  missingStages,
  stagesCompletedBy,
  stagesOf,
  unitsToComplete,
  type BuildProgress,
} from '../src/domain/build-progress.js';
import { ConflictError, ValidationError } from '../src/domain/errors.js';

const code = (n: number) => `0abcdefghjkmn1abcdefghj${String(n).padStart(3, '0')}`;

/** A serialized build of `quantity` units; overrides for the rest. */
function progress(quantity: number, over: Partial<BuildProgress> = {}): BuildProgress {
  return { serialized: true, quantity, completions: [], scrapped: [], ...over };
}

function refusal(run: () => unknown): { kind: string; field: string; reason: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError || error instanceof ConflictError)
      return { kind: error.constructor.name, field: error.field!, reason: error.reason };
    throw error;
  }
  throw new Error('not refused');
}

describe('units to complete', () => {
  it('takes every unit still missing the stage, less the scrapped ones', () => {
    const build = progress(10, {
      completions: [
        { stage: 1, ranges: [{ from: 1, to: 4 }] },
        { stage: 2, ranges: [{ from: 5, to: 10 }] },
      ],
      scrapped: [6, 7],
    });
    expect(unitsToComplete(build, 1, undefined, new Map())).toEqual({
      units: 4,
      ranges: [
        { from: 5, to: 5 },
        { from: 8, to: 10 },
      ],
    });
    expect(unitsToComplete(build, 3, undefined, new Map())).toEqual({
      units: 8,
      ranges: [
        { from: 1, to: 5 },
        { from: 8, to: 10 },
      ],
    });
  });

  it('takes the units named by serial, range and code, merged', () => {
    const serialOf = new Map([[code(9), 9]]);
    expect(unitsToComplete(progress(10), 1, [2, { from: 3, to: 5 }, code(9)], serialOf)).toEqual({
      units: 5,
      ranges: [
        { from: 2, to: 5 },
        { from: 9, to: 9 },
      ],
    });
  });

  it('refuses a stage every surviving unit has completed', () => {
    const build = progress(4, {
      completions: [{ stage: 1, ranges: [{ from: 1, to: 3 }] }],
      scrapped: [4],
    });
    expect(refusal(() => unitsToComplete(build, 1, undefined, new Map()))).toEqual({
      kind: 'ConflictError',
      field: 'stage',
      reason: 'every unit has completed stage 1 already',
    });
    // A completion without ranges covers the whole build.
    const whole = progress(4, { completions: [{ stage: 2, ranges: [] }] });
    expect(refusal(() => unitsToComplete(whole, 2, [1], new Map()))).toEqual({
      kind: 'ConflictError',
      field: 'units',
      reason: 'stage 2 is complete already for unit 1',
    });
  });

  it('names the first reference that takes in a scrapped unit', () => {
    const build = progress(10, { scrapped: [7, 8] });
    expect(refusal(() => unitsToComplete(build, 1, [1, { from: 6, to: 9 }], new Map()))).toEqual({
      kind: 'ConflictError',
      field: 'units.1',
      reason: 'units 7–8 are scrapped',
    });
    expect(refusal(() => unitsToComplete(build, 1, [8], new Map()))).toEqual({
      kind: 'ConflictError',
      field: 'units.0',
      reason: 'unit 8 is scrapped',
    });
  });

  it('refuses units completed already, named twice, or past the last serial', () => {
    const build = progress(10, { completions: [{ stage: 1, ranges: [{ from: 3, to: 4 }] }] });
    expect(refusal(() => unitsToComplete(build, 1, [{ from: 1, to: 5 }], new Map()))).toEqual({
      kind: 'ConflictError',
      field: 'units',
      reason: 'stage 1 is complete already for units 3–4',
    });
    expect(refusal(() => unitsToComplete(build, 2, [2, { from: 1, to: 3 }], new Map()))).toEqual({
      kind: 'ValidationError',
      field: 'units',
      reason: 'names a unit twice',
    });
    expect(refusal(() => unitsToComplete(build, 2, [11], new Map()))).toEqual({
      kind: 'ValidationError',
      field: 'units.0',
      reason: 'the build has units 1–10',
    });
    expect(refusal(() => unitsToComplete(build, 2, [code(1)], new Map()))).toEqual({
      kind: 'ValidationError',
      field: 'units.0',
      reason: `'${code(1)}' is not a unit of the build`,
    });
  });

  it('completes a build without serials once, for all its quantity, naming no units', () => {
    const build = progress(25, { serialized: false });
    expect(unitsToComplete(build, 1, undefined, new Map())).toEqual({ units: 25, ranges: [] });
    expect(refusal(() => unitsToComplete(build, 1, [1], new Map()))).toEqual({
      kind: 'ValidationError',
      field: 'units',
      reason: 'the build is not serialized: it has no units to name',
    });
    const done = { ...build, completions: [{ stage: 1, ranges: [] }] };
    expect(refusal(() => unitsToComplete(done, 1, undefined, new Map()))).toEqual({
      kind: 'ConflictError',
      field: 'stage',
      reason: 'stage 1 is complete already',
    });
  });
});

describe('missing stages', () => {
  it('lists per stage the surviving units that have not completed it', () => {
    const build = progress(10, {
      completions: [
        { stage: 1, ranges: [{ from: 1, to: 6 }] },
        { stage: 1, ranges: [{ from: 7, to: 8 }] },
        { stage: 3, ranges: [] },
      ],
      scrapped: [10],
    });
    expect(missingStages(build, [1, 2, 3])).toEqual([
      { stage: 1, units: 'units 9' },
      { stage: 2, units: 'units 1–9' },
    ]);
  });

  it('counts a scrapped unit as done with every stage', () => {
    const build = progress(3, {
      completions: [{ stage: 1, ranges: [{ from: 1, to: 2 }] }],
      scrapped: [3],
    });
    expect(missingStages(build, [1])).toEqual([]);
  });

  it('says "the build" for a build without serials', () => {
    const build = progress(5, { serialized: false, completions: [{ stage: 2, ranges: [] }] });
    expect(missingStages(build, [1, 2])).toEqual([{ stage: 1, units: 'the build' }]);
  });
});

describe('stage counts', () => {
  const completions = [
    { stage: 2, ranges: [{ from: 1, to: 3 }] },
    { stage: 1, ranges: [] },
    { stage: 2, ranges: [{ from: 7, to: 7 }] },
  ];

  it('lists the stages of a BOM once, ascending', () => {
    expect(stagesOf([{ stage: 2 }, { stage: 1 }, { stage: 2 }, { stage: 5 }])).toEqual([1, 2, 5]);
    expect(stagesOf([])).toEqual([]);
  });

  it('counts the units that completed a stage', () => {
    expect(completedUnits(completions, 1, 10)).toBe(10);
    expect(completedUnits(completions, 2, 10)).toBe(4);
    expect(completedUnits(completions, 3, 10)).toBe(0);
  });

  it('lists the stages a unit completed', () => {
    expect(stagesCompletedBy(completions, 2)).toEqual([1, 2]);
    expect(stagesCompletedBy(completions, 5)).toEqual([1]);
  });
});
