import { describe, expect, it } from 'vitest';
import { ConflictError } from '../src/domain/errors.js';
import {
  LIFECYCLE,
  LIFECYCLE_OPERATIONS,
  TransitionError,
  allowedOperations,
  transition,
  type LifecycleOperation,
} from '../src/domain/unit-lifecycle.js';
import { UNIT_STATES, unitState, type UnitState } from '../src/domain/unit-state.js';

const UNIT = '0abcdefghjkmn1abcdefghjkmn';

// Every (state, operation) pair: the whole table, written out so a change to it is a visible
// change to this test.
const EXPECTED: Record<UnitState, Partial<Record<LifecycleOperation, UnitState>>> = {
  in_production: {},
  available: { ship: 'shipped', scrap: 'scrapped' },
  // Put aside by its stock (a recall hold, a rejection): never shipped, still scrapped.
  held: { scrap: 'scrapped' },
  rejected: { scrap: 'scrapped' },
  installed: {},
  shipped: { return: 'returned' },
  returned: { start_repair: 'in_repair', scrap: 'scrapped' },
  in_repair: { release: 'available', scrap: 'scrapped' },
  scrapped: {},
};

describe('unit state', () => {
  it('is held or rejected while the stock of a unit in stock is', () => {
    expect(unitState('available', 'held')).toBe('held');
    expect(unitState('available', 'rejected')).toBe('rejected');
    expect(unitState('in_production', 'held')).toBe('held');
    expect(unitState('available', null)).toBe('available');
    expect(unitState('available', 'allocated')).toBe('available');
    // A returned unit's stock is held as part of its return; a shipped one has none.
    expect(unitState('returned', 'held')).toBe('returned');
    expect(unitState('in_repair', 'held')).toBe('in_repair');
    expect(unitState('scrapped', 'rejected')).toBe('scrapped');
  });
});

describe('unit lifecycle', () => {
  for (const state of UNIT_STATES) {
    for (const operation of LIFECYCLE_OPERATIONS) {
      const to = EXPECTED[state][operation];
      it(`${state} + ${operation} → ${to ?? 'refused'}`, () => {
        if (to) {
          expect(transition(UNIT, state, operation)).toBe(to);
        } else {
          let error: unknown;
          try {
            transition(UNIT, state, operation);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(TransitionError);
          expect(error).toBeInstanceOf(ConflictError);
          const e = error as TransitionError;
          expect(e.code).toBe('conflict');
          expect(e.state).toBe(state);
          expect(e.field).toBe('unit');
          // The message names the unit and its current state.
          expect(e.message).toContain('0abcdefg');
          expect(e.message).toContain(`is ${state.replace('_', ' ')}`);
        }
      });
    }
  }

  it('lists the operations a state allows, in a stable order', () => {
    for (const state of UNIT_STATES) {
      expect(allowedOperations(state)).toEqual(
        LIFECYCLE_OPERATIONS.filter((op) => EXPECTED[state][op] !== undefined),
      );
    }
    expect(allowedOperations(null)).toEqual([]);
    expect(allowedOperations('returned')).toEqual(['start_repair', 'scrap']);
  });

  it('follows the lifecycle of DESIGN.md from available round to available', () => {
    let state: UnitState = 'available';
    for (const op of ['ship', 'return', 'start_repair', 'release'] as const) {
      state = transition(UNIT, state, op);
    }
    expect(state).toBe('available');
  });

  it('names the field the caller gives and what the operation needs', () => {
    expect(() => transition(UNIT, 'scrapped', 'ship', 'units.2')).toThrow(
      /unit 0abcdefg is scrapped: shipping needs a unit that is available/,
    );
    expect(() => transition(UNIT, 'available', 'start_repair')).toThrow(
      /is available: starting a repair needs a unit that is returned/,
    );
    try {
      transition(UNIT, 'scrapped', 'ship', 'units.2');
    } catch (e) {
      expect((e as TransitionError).field).toBe('units.2');
    }
  });

  it('never leads into production or installation (those belong to builds)', () => {
    for (const op of LIFECYCLE_OPERATIONS) {
      expect(['in_production', 'installed']).not.toContain(LIFECYCLE[op].to);
    }
  });
});
