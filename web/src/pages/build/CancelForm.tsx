import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Build } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';

/** Cancels a build that has consumed nothing yet: its units are removed, with a reason. */
export function CancelForm({ build, onDone }: { build: Build; onDone(build: Build): void }) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const cancelled = await action.run(() => api.builds.cancel(build.code, reason));
    if (cancelled) onDone(cancelled);
  };

  return (
    <details className="card">
      <summary>Cancel this build…</summary>
      <form className="form" onSubmit={submit} aria-label="Cancel the build">
        <p className="hint field-wide">
          Only a build that has consumed nothing can be cancelled; its units are removed.
        </p>
        <Field label="Reason" wide>
          <input
            name="cancelReason"
            required
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        {action.error !== null && <ErrorMessage error={action.error} />}
        <div className="actions">
          <button type="submit" className="danger" disabled={action.busy}>
            {action.busy ? 'Cancelling…' : 'Cancel build'}
          </button>
        </div>
      </form>
    </details>
  );
}
