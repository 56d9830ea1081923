import { objectUrl } from '@domain/object-url.js';
import { type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { SubmitActions } from '../components/SubmitActions.js';
import { TagsField } from '../components/TagsField.js';
import { useAction } from '../hooks/useAction.js';
import { useFormFields } from '../hooks/useFormFields.js';
import { readTags } from '../read-input.js';

/** A new project; its sub-assembly part is made with it. Opens the project to import a BOM. */
export function NewProjectPage() {
  const api = useApi();
  const navigate = useNavigate();
  const { values: form, bind } = useFormFields({ name: '', description: '', notes: '', tags: '' });
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const project = await action.run(() =>
      api.projects.create({
        name: form.name,
        description: form.description,
        notes: form.notes,
        tags: readTags(form.tags),
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
          <input required maxLength={200} {...bind('name')} />
        </Field>
        <TagsField {...bind('tags')} />
        <Field label="Description" wide>
          <textarea rows={2} {...bind('description')} />
        </Field>
        <Field label="Notes" wide>
          <textarea rows={3} {...bind('notes')} />
        </Field>
        <p className="hint field-wide">
          A sub-assembly part of the same name is created with the project: it is what the project’s
          builds produce.
        </p>
        <SubmitActions
          label="Create project"
          busyLabel="Creating…"
          busy={action.busy}
          onCancel={() => navigate(-1)}
        />
      </form>
    </>
  );
}
