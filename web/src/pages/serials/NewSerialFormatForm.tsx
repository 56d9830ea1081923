import { type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { SerialFormat } from '../../api/types.js';
import { ErrorMessage, errorText } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { useFormFields } from '../../hooks/useFormFields.js';
import { useDebounced } from '../../hooks/useDebounced.js';
import { useLoad } from '../../hooks/useLoad.js';
import { SubmitActions } from '../../components/SubmitActions.js';

const FIELDS_HINT =
  'text and {YYYY} {YY} {MM} {DD} {WW} (ISO week) {SEQ:n} (counter of n digits) {BUILD} {N} (unit of the build)';

/** A new format, with the serials its pattern would give shown while it is typed. */
export function NewSerialFormatForm({ onCreated }: { onCreated(format: SerialFormat): void }) {
  const api = useApi();
  const {
    values: form,
    bind,
    setValues,
  } = useFormFields({
    name: '',
    pattern: '',
    scope: 'global' as 'global' | 'part',
    reset: 'never' as 'never' | 'yearly',
    target: 'name' as 'name' | 'field',
    fieldName: '',
  });
  const { pattern, target } = form;
  const action = useAction();
  const typed = useDebounced(pattern, 250);
  const preview = useLoad(
    () =>
      typed.trim()
        ? api.serialFormats.preview({ pattern: typed, count: 3 })
        : Promise.resolve(null),
    [typed],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await action.run(() =>
      api.serialFormats.create({
        name: form.name,
        pattern,
        scope: form.scope,
        reset: form.reset,
        target,
        ...(target === 'field' ? { fieldName: form.fieldName } : {}),
      }),
    );
    if (!created) return;
    // The counting choices stay for the next format; its name and pattern are new.
    setValues((v) => ({ ...v, name: '', pattern: '' }));
    onCreated(created);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="New serial format">
      <h2>New serial format</h2>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <Field label="Format name" hint="e.g. ACME devices">
        <input required maxLength={200} {...bind('name')} />
      </Field>
      <Field label="Pattern" hint={FIELDS_HINT}>
        <input
          required
          maxLength={100}
          placeholder="ACME-{YY}{WW}-{SEQ:5}"
          autoCapitalize="characters"
          spellCheck={false}
          {...bind('pattern')}
        />
      </Field>
      <div className="field-wide" aria-live="polite">
        {preview.data && (
          <p className="hint" data-testid="serial-preview">
            Next serials: {preview.data.serials.join(', ')} … <small>({preview.data.note})</small>
          </p>
        )}
        {preview.error !== undefined && typed === pattern && (
          <p className="error" role="alert">
            {errorText(preview.error)}
          </p>
        )}
      </div>
      <Field label="Counted" hint="one counter for all units, or one per part">
        <select {...bind('scope')}>
          <option value="global">for all parts together</option>
          <option value="part">per part</option>
        </select>
      </Field>
      <Field label="Counter reset" hint="a yearly reset needs {YY} or {YYYY} in the pattern">
        <select {...bind('reset')}>
          <option value="never">never</option>
          <option value="yearly">every year</option>
        </select>
      </Field>
      <Field label="Written to" hint="where a unit's serial is stored">
        <select {...bind('target')}>
          <option value="name">the unit's name</option>
          <option value="field">a custom field</option>
        </select>
      </Field>
      {target === 'field' && (
        <Field label="Custom field name">
          <input required maxLength={256} {...bind('fieldName')} />
        </Field>
      )}
      <SubmitActions label="Create format" busyLabel="Creating…" busy={action.busy} />
    </form>
  );
}
