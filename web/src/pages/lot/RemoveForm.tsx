import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { TraceNode } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';

/** Removes an installed unit (rework, repair): it comes back into stock, the reason is recorded. */
export function RemoveForm({
  child,
  onDone,
  onClose,
}: {
  child: TraceNode;
  onDone(message: string): void;
  onClose(): void;
}) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const action = useAction();
  const name = child.label ?? child.shortCode;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(() => api.installations.remove({ child: child.code, reason }));
    if (done) onDone(`Removed ${name}.`);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Remove a unit">
      <h3>Remove {name}</h3>
      <Field label="Reason" hint="rework, repair: recorded in both units' history" wide>
        <input
          name="removeReason"
          required
          autoFocus
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Field>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Removing…' : `Remove ${name}`}
        </button>
        <button type="button" onClick={onClose}>
          Keep it
        </button>
      </div>
    </form>
  );
}
