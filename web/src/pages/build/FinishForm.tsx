import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import type { Build } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';

/**
 * Finishes the build: surviving units become available. With stages incomplete, only with
 * an explicit "finish anyway" and a note saying why (both recorded).
 */
export function FinishForm({ build, onDone }: { build: Build; onDone(build: Build): void }) {
  const api = useApi();
  const [allowIncomplete, setAllowIncomplete] = useState(false);
  const [note, setNote] = useState('');
  const action = useAction();
  const live = build.units.total - build.units.scrapped;
  const refused = action.error instanceof ApiError && action.error.field === 'allowIncomplete';
  const incomplete = refused || build.stages.some((s) => s.completedUnits < live);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const finished = await action.run(() =>
      api.builds.finish(build.code, { allowIncomplete, note }),
    );
    if (finished) onDone(finished);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Finish the build">
      <h3>Finish</h3>
      <p className="hint field-wide">
        Finishing makes the {live} surviving units available at {build.location.name}.
      </p>
      {incomplete && (
        <label className="check field-wide">
          <input
            type="checkbox"
            name="allowIncomplete"
            checked={allowIncomplete}
            onChange={(e) => setAllowIncomplete(e.target.checked)}
          />
          Finish although some units have not completed every stage
        </label>
      )}
      <Field
        label="Finish note"
        hint={allowIncomplete ? 'required: why the stages are left incomplete' : 'optional'}
        wide
      >
        <input
          name="finishNote"
          maxLength={1000}
          required={allowIncomplete}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? 'Finishing…' : 'Finish build'}
        </button>
      </div>
    </form>
  );
}
