import { objectUrl } from '@domain/object-url.js';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useAction } from '../hooks/useAction.js';

/** A new project; its sub-assembly part is made with it. Opens the project to import a BOM. */
export function NewProjectPage() {
  const api = useApi();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', description: '', notes: '', tags: '' });
  const action = useAction();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const project = await action.run(() =>
      api.projects.create({
        name: form.name,
        description: form.description,
        notes: form.notes,
        tags: form.tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      }),
    );
    if (project) navigate(objectUrl('', project.code));
  };

  return (
    <>
      <h1>New project</h1>
      <form className="card form" onSubmit={submit} aria-label="New project">
        {action.error !== null && <ErrorMessage error={action.error} />}
        <Field label="Name" hint="what its builds make, e.g. Sensor node rev B">
          <input name="name" required maxLength={200} value={form.name} onChange={set('name')} />
        </Field>
        <Field label="Tags" hint="separated by commas">
          <input name="tags" value={form.tags} onChange={set('tags')} />
        </Field>
        <Field label="Description" wide>
          <textarea
            name="description"
            rows={2}
            value={form.description}
            onChange={set('description')}
          />
        </Field>
        <Field label="Notes" wide>
          <textarea name="notes" rows={3} value={form.notes} onChange={set('notes')} />
        </Field>
        <p className="hint field-wide">
          A sub-assembly part of the same name is created with the project: it is what the project’s
          builds produce.
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Creating…' : 'Create project'}
          </button>
          <button type="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
