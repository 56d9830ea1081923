import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/ApiContext.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { Field } from '../../../components/Field.js';
import { SubmitActions } from '../../../components/SubmitActions.js';
import { SignatureFields, useSignature } from '../../../components/signature/SignatureFields.js';
import { useAction } from '../../../hooks/useAction.js';
import { unitName, type UnitFormProps } from './unit-form.js';

/**
 * A repaired unit becomes available, on hand where it lies. When the release gate refuses
 * (required tests not passed), an explicit override with a note goes past it and is recorded.
 * Where releases require an electronic signature, the form asks for it.
 */
export function ReleaseForm({ unit, onDone, onClose }: UnitFormProps) {
  const api = useApi();
  const [note, setNote] = useState('');
  const [override, setOverride] = useState(false);
  const action = useAction();
  const { signing, signature, setSignature, body } = useSignature(['released'], action.error);
  const name = unitName(unit);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const released = await action.run(() =>
      api.units.release(unit.code, { note, override, ...body }),
    );
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
      {signing && (
        <SignatureFields operation="released" value={signature} onChange={setSignature} />
      )}
      {action.error !== null && <ErrorMessage error={action.error} />}
      <SubmitActions
        label="Release to stock"
        busyLabel="Releasing…"
        busy={action.busy}
        onCancel={onClose}
      />
    </form>
  );
}
