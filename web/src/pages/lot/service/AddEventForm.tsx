import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/ApiContext.js';
import type { ServiceEventType } from '../../../api/types.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { Field } from '../../../components/Field.js';
import { useAction } from '../../../hooks/useAction.js';
import { SERVICE_EVENT_LABELS, SERVICE_EVENT_TYPES } from './labels.js';
import { LabelledOptions } from '../../../components/LabelledOptions.js';

/** Records an inspection, rework, repair, return or note on the unit. */
export function AddEventForm({ unit, onDone }: { unit: string; onDone(message: string): void }) {
  const api = useApi();
  const [type, setType] = useState<ServiceEventType>('inspection');
  const [text, setText] = useState('');
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await action.run(() => api.units.addEvent(unit, { type, text }));
    if (added) {
      setText('');
      onDone(`${SERVICE_EVENT_LABELS[added.type]} recorded.`);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Add event">
      <Field label="Event type">
        <select value={type} onChange={(e) => setType(e.target.value as ServiceEventType)}>
          <LabelledOptions values={SERVICE_EVENT_TYPES} labels={SERVICE_EVENT_LABELS} />
        </select>
      </Field>
      <Field label="What was found or done" wide>
        <textarea
          name="eventText"
          required
          maxLength={10000}
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Adding…' : 'Add event'}
        </button>
      </div>
    </form>
  );
}
