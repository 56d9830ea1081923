import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import type { Build } from '../../api/types.js';
import { SignatureFields, useSignature } from '../../components/signature/SignatureFields.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { SubmitActions } from '../../components/SubmitActions.js';

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
  // The project requires passed tests and some are not: offered only once the server said so.
  const [overrideTests, setOverrideTests] = useState(false);
  const testsRefused =
    overrideTests || (action.error instanceof ApiError && action.error.field === 'overrideTests');
  const noteRequired = allowIncomplete || overrideTests;
  const { signing, signature, setSignature, body } = useSignature(
    overrideTests ? ['build_finished', 'tests_overridden'] : ['build_finished'],
    action.error,
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const finished = await action.run(() =>
      api.builds.finish(build.code, {
        allowIncomplete,
        overrideTests,
        note,
        ...body,
      }),
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
      {testsRefused && (
        <label className="check field-wide">
          <input
            type="checkbox"
            name="overrideTests"
            checked={overrideTests}
            onChange={(e) => setOverrideTests(e.target.checked)}
          />
          Finish although required tests are not passed
        </label>
      )}
      <Field
        label="Finish note"
        hint={
          noteRequired
            ? `required: why ${allowIncomplete ? 'the stages are left incomplete' : 'the tests are overridden'}`
            : 'optional'
        }
        wide
      >
        <input
          name="finishNote"
          maxLength={1000}
          required={noteRequired}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
      {signing && (
        <SignatureFields operation="build_finished" value={signature} onChange={setSignature} />
      )}
      {action.error !== null && <ErrorMessage error={action.error} />}
      <SubmitActions label="Finish build" busyLabel="Finishing…" busy={action.busy} />
    </form>
  );
}
