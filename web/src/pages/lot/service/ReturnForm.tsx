import { useState, type FormEvent } from 'react';
import { LocationPicker } from '../../../components/LocationPicker.js';
import { useApi } from '../../../api/ApiContext.js';
import type { UnitStatus } from '../../../api/types.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { Field } from '../../../components/Field.js';
import { useAction } from '../../../hooks/useAction.js';

/** A shipped unit came back: why, and where it lies now (held there until repaired). */
export function ReturnForm({
  unit,
  onDone,
  onClose,
}: {
  unit: UnitStatus;
  onDone(message: string): void;
  onClose(): void;
}) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [location, setLocation] = useState('');
  const action = useAction();
  const name = unit.label ?? unit.shortCode;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const returned = await action.run(() => api.units.return(unit.code, { reason, location }));
    if (returned) onDone(`${name} is back, held for inspection.`);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Return the unit">
      <h3 className="field-wide">Return {name}</h3>
      <Field label="Return reason" hint="what the customer reports" wide>
        <input
          name="returnReason"
          required
          autoFocus
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Field>
      <LocationPicker value={location} onChange={setLocation} />
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Recording…' : 'Record return'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
