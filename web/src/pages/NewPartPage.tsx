import { objectUrl } from '@domain/object-url.js';
import { type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { PartKind, Unit } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import type { FieldLabels } from '../components/field-labels.js';
import { LabelledOptions } from '../components/LabelledOptions.js';
import { SubmitActions } from '../components/SubmitActions.js';
import { KIND_LABELS, PART_KINDS, UNIT_LABELS, UNITS } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useFormFields } from '../hooks/useFormFields.js';

/** The request's fields as the form labels them (the others read alike: `name` is "Name"). */
const PART_LABELS: FieldLabels = { mpn: 'MPN' };

export function NewPartPage() {
  const api = useApi();
  const navigate = useNavigate();
  const { values: form, bind } = useFormFields({
    name: '',
    mpn: '',
    manufacturer: '',
    unit: 'pcs' as Unit,
    kind: 'component' as PartKind,
    description: '',
  });
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const part = await action.run(() => api.parts.create(form));
    if (part) navigate(objectUrl('', part.code));
  };

  return (
    <>
      <h1>New part</h1>
      <form className="card form" onSubmit={submit}>
        {action.error !== null && <ErrorMessage error={action.error} labels={PART_LABELS} />}
        <Field label="Name">
          <input required maxLength={200} {...bind('name')} />
        </Field>
        <Field label="MPN" hint="manufacturer part number">
          <input maxLength={200} {...bind('mpn')} />
        </Field>
        <Field label="Manufacturer">
          <input maxLength={200} {...bind('manufacturer')} />
        </Field>
        <Field label="Unit" hint="pieces are counted; other units allow fractions">
          <select {...bind('unit')}>
            <LabelledOptions values={UNITS} labels={UNIT_LABELS} />
          </select>
        </Field>
        <Field label="Kind">
          <select {...bind('kind')}>
            <LabelledOptions values={PART_KINDS} labels={KIND_LABELS} />
          </select>
        </Field>
        <Field label="Description" wide>
          <textarea rows={3} {...bind('description')} />
        </Field>
        <SubmitActions
          label="Create part"
          busyLabel="Creating…"
          busy={action.busy}
          onCancel={() => navigate(-1)}
        />
      </form>
    </>
  );
}
