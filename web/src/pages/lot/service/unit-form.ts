import type { UnitStatus } from '../../../api/types.js';

/** What a lifecycle transition's form on one unit is given (return, release). */
export interface UnitFormProps {
  unit: UnitStatus;
  /** The transition happened: the message says what became of the unit. */
  onDone(message: string): void;
  onClose(): void;
}

/** How the forms and messages name a unit: its customer serial or label, else its short code. */
export function unitName(unit: UnitStatus): string {
  return unit.label ?? unit.shortCode;
}
