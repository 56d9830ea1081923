import { shortCode } from './code.js';
import { ConflictError } from './errors.js';
import type { UnitState } from './unit-state.js';

/** What a person does to a unit after it is built (stable strings: API and history use them). */
export const LIFECYCLE_OPERATIONS = ['ship', 'return', 'start_repair', 'release', 'scrap'] as const;
export type LifecycleOperation = (typeof LIFECYCLE_OPERATIONS)[number];

/**
 * The device lifecycle after production (DESIGN.md): available → shipped → returned →
 * in repair → available or scrapped. Per operation: the states it starts from and the state it
 * leads to. A unit in stock is not repaired without a return first; a unit in production is
 * scrapped through its build.
 */
export const LIFECYCLE: Record<LifecycleOperation, { from: readonly UnitState[]; to: UnitState }> =
  {
    ship: { from: ['available'], to: 'shipped' },
    return: { from: ['shipped'], to: 'returned' },
    start_repair: { from: ['returned'], to: 'in_repair' },
    release: { from: ['in_repair'], to: 'available' },
    scrap: { from: ['available', 'held', 'rejected', 'returned', 'in_repair'], to: 'scrapped' },
  };

/** The operations a unit in this state allows, e.g. `returned` → start_repair, scrap. */
export function allowedOperations(state: UnitState | null): LifecycleOperation[] {
  return LIFECYCLE_OPERATIONS.filter((op) => state !== null && LIFECYCLE[op].from.includes(state));
}

/** A forbidden transition: a conflict (409) whose message names the unit's current state. */
export class TransitionError extends ConflictError {
  constructor(
    readonly unit: string,
    readonly state: UnitState,
    readonly operation: LifecycleOperation,
    field = 'unit',
  ) {
    super(
      `unit ${shortCode(unit)} is ${state.replace('_', ' ')}: ${OPERATION_VERBS[operation]} needs a unit that is ${LIFECYCLE[
        operation
      ].from
        .map((s) => s.replace('_', ' '))
        .join(' or ')}`,
      field,
    );
  }
}

const OPERATION_VERBS: Record<LifecycleOperation, string> = {
  ship: 'shipping',
  return: 'a return',
  start_repair: 'starting a repair',
  release: 'releasing',
  scrap: 'scrapping here',
};

/** The state the operation leads to; throws TransitionError when the current state forbids it. */
export function transition(
  unit: string,
  state: UnitState,
  operation: LifecycleOperation,
  field = 'unit',
): UnitState {
  const rule = LIFECYCLE[operation];
  if (!rule.from.includes(state)) throw new TransitionError(unit, state, operation, field);
  return rule.to;
}
