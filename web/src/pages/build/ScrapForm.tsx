import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { BuildUnit } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';

/** Scraps one unit, with a reason; its history and what it consumed stay recorded. */
export function ScrapForm({
  build,
  unit,
  onDone,
  onClose,
}: {
  build: string;
  unit: BuildUnit;
  onDone(unit: BuildUnit): void;
  onClose(): void;
}) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const scrapped = await action.run(() => api.builds.scrap(build, unit.code, reason));
    if (scrapped) onDone(scrapped);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Scrap a unit">
      <h3>Scrap {unit.label}</h3>
      <Field label="Reason" hint="recorded in the unit's history" wide>
        <input
          name="scrapReason"
          required
          autoFocus
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Field>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" className="danger" disabled={action.busy}>
          {action.busy ? 'Scrapping…' : `Scrap ${unit.label}`}
        </button>
        <button type="button" onClick={onClose}>
          Keep it
        </button>
      </div>
    </form>
  );
}
