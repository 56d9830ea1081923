import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/ApiContext.js';
import type { UnitStatus } from '../../../api/types.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { Field } from '../../../components/Field.js';
import { useAction } from '../../../hooks/useAction.js';

/**
 * A repaired unit becomes available, on hand where it lies. When the release gate refuses
 * (required tests not passed), an explicit override with a note goes past it and is recorded.
 */
export function ReleaseForm({
  unit,
  onDone,
  onClose,
}: {
  unit: UnitStatus;
  onDone(message: string): void;
  onClose(): void;
}) {
  const api = useApi();
  const [note, setNote] = useState('');
  const [override, setOverride] = useState(false);
  const action = useAction();
  const name = unit.label ?? unit.shortCode;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const released = await action.run(() => api.units.release(unit.code, { note, override }));
    if (released) onDone(`${name} is available again.`);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Release the unit">
      <h3 className="field-wide">Release {name}</h3>
      <Field label="Release note" hint="recorded in the unit's history" wide>
        <input
          name="releaseNote"
          required={override}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
      <label className="check field-wide">
        <input
          type="checkbox"
          name="override"
          checked={override}
          onChange={(e) => setOverride(e.target.checked)}
        />
        Override the release checks (the note must say why)
      </label>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Releasing…' : 'Release to stock'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
