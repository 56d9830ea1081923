import { useState, type FormEvent } from 'react';
import { LocationPicker } from '../../../components/LocationPicker.js';
import { useApi } from '../../../api/ApiContext.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { Field } from '../../../components/Field.js';
import { SubmitActions } from '../../../components/SubmitActions.js';
import { useAction } from '../../../hooks/useAction.js';
import { unitName, type UnitFormProps } from './unit-form.js';

/** A shipped unit came back: why, and where it lies now (held there until repaired). */
export function ReturnForm({ unit, onDone, onClose }: UnitFormProps) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [location, setLocation] = useState('');
  const action = useAction();
  const name = unitName(unit);

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
      <SubmitActions
        label="Record return"
        busyLabel="Recording…"
        busy={action.busy}
        onCancel={onClose}
      />
    </form>
  );
}
