import { type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { Location } from '../api/types.js';
import { useAction } from '../hooks/useAction.js';
import { useFormFields } from '../hooks/useFormFields.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Field } from './Field.js';
import { SubmitActions } from './SubmitActions.js';

/** Name and description of a new storage location; the list reloads after it is made. */
export function NewLocationForm({ onCreated }: { onCreated(location: Location): void }) {
  const api = useApi();
  const { values: form, bind, clear } = useFormFields({ name: '', description: '' });
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const location = await action.run(() => api.locations.create(form));
    if (!location) return;
    clear();
    onCreated(location);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="New location">
      <h2>New location</h2>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <Field label="Location name" hint="unique, e.g. Shelf A3 or Reel rack 2">
        <input required maxLength={200} {...bind('name')} />
      </Field>
      <Field label="Description">
        <input {...bind('description')} />
      </Field>
      <SubmitActions label="Create location" busyLabel="Creating…" busy={action.busy} />
    </form>
  );
}
