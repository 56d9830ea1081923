import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { Location } from '../api/types.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Field } from './Field.js';
import { SubmitActions } from './SubmitActions.js';

/** Name and description of a new storage location; the list reloads after it is made. */
export function NewLocationForm({ onCreated }: { onCreated(location: Location): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const location = await api.locations.create({ name, description });
      setName('');
      setDescription('');
      onCreated(location);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="New location">
      <h2>New location</h2>
      {error !== null && <ErrorMessage error={error} />}
      <Field label="Location name" hint="unique, e.g. Shelf A3 or Reel rack 2">
        <input
          name="name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field label="Description">
        <input
          name="description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <SubmitActions label="Create location" busyLabel="Creating…" busy={busy} />
    </form>
  );
}
