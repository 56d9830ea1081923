import { useState, type FormEvent } from 'react';
import { parseSerialRanges } from '@domain/unit-refs.js';
import { useApi } from '../../api/ApiContext.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { readInput } from '../../read-input.js';
import { SerialFormatSelect } from '../serials/SerialFormatSelect.js';
import { SubmitActions } from '../../components/SubmitActions.js';

/** Gives customer serials of a format to the build's units: all without one, or those typed. */
export function AssignSerialsForm({
  build,
  units,
  onDone,
}: {
  build: string;
  units: number;
  onDone(message: string): void;
}) {
  const api = useApi();
  const [format, setFormat] = useState('');
  const [which, setWhich] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    let chosen: { from: number; to: number }[] | undefined;
    if (which.trim()) {
      const parsed = readInput(() => parseSerialRanges(which, units));
      if (parsed.error !== undefined) return setProblem(parsed.error);
      chosen = parsed.value;
    }
    const result = await action.run(() =>
      api.serialFormats.assign(format, { build, ...(chosen ? { units: chosen } : {}) }),
    );
    if (!result) return;
    setWhich('');
    const last = result.items[result.items.length - 1];
    onDone(
      `${result.assigned} customer serial${result.assigned === 1 ? '' : 's'} of ${result.format.name} given` +
        (result.items[0]
          ? `: ${result.items[0].serial}${last && last !== result.items[0] ? ` … ${last.serial}` : ''}`
          : '') +
        (result.skipped ? ` (${result.skipped} unit(s) had one already)` : ''),
    );
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Assign serials">
      <h3>Assign customer serials</h3>
      {action.error !== null && <ErrorMessage error={action.error} />}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <SerialFormatSelect
        value={format}
        onChange={setFormat}
        label="Serial format"
        hint="units that have a serial of this format keep it"
        allowNone={false}
      />
      <Field label="Units" hint={`build serials such as 1-60, 75; empty: every unit (1–${units})`}>
        <input name="units" value={which} onChange={(e) => setWhich(e.target.value)} />
      </Field>
      <SubmitActions
        label="Assign serials"
        busyLabel="Assigning…"
        busy={action.busy}
        disabled={!format}
      />
    </form>
  );
}
