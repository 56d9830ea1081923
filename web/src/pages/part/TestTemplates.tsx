import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { TestTemplate, TestTemplateListItem, TestValueType } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { Loading } from '../../components/Loading.js';
import { ReasonForm } from '../../components/ReasonForm.js';
import { limitsText, VALUE_TYPE_LABELS } from '../../components/TestStatusBadge.js';
import { useAction } from '../../hooks/useAction.js';
import { useFormFields } from '../../hooks/useFormFields.js';
import { useLoad } from '../../hooks/useLoad.js';
import { SubmitActions } from '../../components/SubmitActions.js';
import { LabelledOptions } from '../../components/LabelledOptions.js';
import { Notice } from '../../components/Notice.js';

/** The text fields of a new test, empty. */
const NO_TEXT = { key: '', name: '', unit: '', min: '', max: '', description: '' };

/**
 * The tests a part's units undergo: the list, disable/enable, a form to add one, and the
 * correction of a test's type while no result uses it.
 */
export function TestTemplates({ part }: { part: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const templates = useLoad((signal) => api.tests.templates(part, signal), [part]);
  const toggle = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [retyping, setRetyping] = useState<TestTemplateListItem | null>(null);

  const setEnabled = async (t: TestTemplate, enabled: boolean) => {
    const done = await toggle.run(() => api.tests.updateTemplate(t.code, { enabled }));
    if (done) {
      setNotice(`${done.name} ${enabled ? 'enabled' : 'disabled'}.`);
      templates.reload();
    }
  };
  const items = templates.data?.items ?? [];

  return (
    <section className="section" aria-labelledby="tests-heading">
      <h2 id="tests-heading">Tests</h2>
      {templates.error !== undefined && (
        <ErrorMessage error={templates.error} retry={templates.reload} />
      )}
      {templates.loading && !templates.data && <Loading what="the tests" />}
      {templates.data && items.length === 0 && (
        <p className="empty">
          No tests defined for this part.
          {canWrite
            ? ' Add one below: test stations then upload results by its key.'
            : ' An editor can add them.'}
        </p>
      )}
      <Notice text={notice} />
      {toggle.error !== null && <ErrorMessage error={toggle.error} />}
      {items.length > 0 && (
        <table className="list stack" aria-label="Test templates">
          <thead>
            <tr>
              <th>Key</th>
              <th>Test</th>
              <th>Type</th>
              <th>Limits</th>
              <th>Required</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.code} className={t.enabled ? '' : 'muted'}>
                <td data-label="Key">
                  <code>{t.key}</code>
                </td>
                <td data-label="Test">
                  {t.name}
                  {!t.enabled && <span className="badge">disabled</span>}
                  {t.requiresAttachment && <span className="badge">file required</span>}
                </td>
                <td data-label="Type">{VALUE_TYPE_LABELS[t.valueType]}</td>
                <td data-label="Limits">{limitsText(t)}</td>
                <td data-label="Required">{t.required ? 'yes' : 'no'}</td>
                {canWrite && (
                  <td data-label="Actions">
                    <button
                      type="button"
                      className="link-button"
                      disabled={toggle.busy}
                      onClick={() => void setEnabled(t, !t.enabled)}
                    >
                      {t.enabled ? 'Disable' : 'Enable'} {t.key}
                    </button>
                    {t.results === 0 && (
                      <button type="button" className="link-button" onClick={() => setRetyping(t)}>
                        Change type of {t.key}…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && retyping && (
        <RetypeForm
          key={retyping.code}
          template={retyping}
          onClose={() => setRetyping(null)}
          onDone={(t) => {
            setRetyping(null);
            setNotice(`${t.name} now records ${VALUE_TYPE_LABELS[t.valueType].toLowerCase()}.`);
            templates.reload();
          }}
        />
      )}
      {canWrite && (
        <NewTemplateForm
          part={part}
          onDone={(t) => {
            setNotice(`Test ${t.name} added.`);
            templates.reload();
          }}
        />
      )}
    </section>
  );
}

function NewTemplateForm({ part, onDone }: { part: string; onDone(t: TestTemplate): void }) {
  const api = useApi();
  const action = useAction();
  const {
    values: form,
    bind,
    setValues,
  } = useFormFields({
    ...NO_TEXT,
    valueType: 'pass_fail' as TestValueType,
  });
  const [required, setRequired] = useState(true);
  const [requiresAttachment, setRequiresAttachment] = useState(false);
  const { valueType, min, max } = form;
  const number = valueType === 'number';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await action.run(() =>
      api.tests.createTemplate(part, {
        key: form.key,
        name: form.name,
        valueType,
        description: form.description,
        required,
        requiresAttachment,
        ...(number ? { unit: form.unit, min: min.trim() || null, max: max.trim() || null } : {}),
      }),
    );
    if (created) {
      // The next test likely records the same kind of value.
      setValues((v) => ({ ...NO_TEXT, valueType: v.valueType }));
      onDone(created);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Add a test">
      <h3>Add a test</h3>
      <Field label="Key" hint="what stations upload by, e.g. vcc_3v3; never changes">
        <input
          required
          maxLength={64}
          pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
          autoCapitalize="off"
          {...bind('key')}
          name="testKey"
        />
      </Field>
      <Field label="Test name">
        <input required maxLength={200} {...bind('name')} name="testName" />
      </Field>
      <Field label="Records">
        <select {...bind('valueType')}>
          <LabelledOptions labels={VALUE_TYPE_LABELS} />
        </select>
      </Field>
      {number && (
        <>
          <Field label="Unit" hint="e.g. V, mA">
            <input maxLength={20} {...bind('unit')} />
          </Field>
          <Field label="Minimum" hint="inclusive; empty: no lower limit">
            <input inputMode="decimal" maxLength={40} {...bind('min')} />
          </Field>
          <Field label="Maximum" hint="inclusive; empty: no upper limit">
            <input inputMode="decimal" maxLength={40} {...bind('max')} />
          </Field>
        </>
      )}
      <Field label="Description" wide>
        <input maxLength={10_000} {...bind('description')} />
      </Field>
      <label className="check field-wide">
        <input
          type="checkbox"
          name="required"
          checked={required}
          onChange={(e) => setRequired(e.target.checked)}
        />
        Required: a unit passes only when this test passed
      </label>
      <label className="check field-wide">
        <input
          type="checkbox"
          name="requiresAttachment"
          checked={requiresAttachment}
          onChange={(e) => setRequiresAttachment(e.target.checked)}
        />
        Every result needs a file (a log, a photo)
      </label>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <SubmitActions label="Add test" busyLabel="Adding…" busy={action.busy} />
    </form>
  );
}

/**
 * Corrects a test's type (and, for a number test, its unit and limits), with a reason. Offered
 * only while no result uses the test; the server refuses otherwise, naming the count.
 */
function RetypeForm({
  template,
  onClose,
  onDone,
}: {
  template: TestTemplate;
  onClose(): void;
  onDone(t: TestTemplate): void;
}) {
  const api = useApi();
  const [valueType, setValueType] = useState<TestValueType>(template.valueType);
  const [unit, setUnit] = useState(template.unit);
  const [min, setMin] = useState(template.min ?? '');
  const [max, setMax] = useState(template.max ?? '');
  const number = valueType === 'number';
  return (
    <ReasonForm
      label="Change the test's type"
      name="retypeReason"
      hint="a correction: recorded in the test's history"
      action={['Change type', 'Changing…']}
      onClose={onClose}
      act={async (reason, run) => {
        const done = await run(() =>
          api.tests.updateTemplate(template.code, {
            valueType,
            reason,
            ...(number ? { unit, min: min.trim() || null, max: max.trim() || null } : {}),
          }),
        );
        if (done) onDone(done);
      }}
    >
      <h3>Change the type of {template.name}</h3>
      <TypeField value={valueType} onChange={setValueType} />
      {number && <NumberFields unit={unit} min={min} max={max} set={{ setUnit, setMin, setMax }} />}
    </ReasonForm>
  );
}

function TypeField({
  value,
  onChange,
}: {
  value: TestValueType;
  onChange(type: TestValueType): void;
}) {
  return (
    <Field label="Records">
      <select
        name="valueType"
        value={value}
        onChange={(e) => onChange(e.target.value as TestValueType)}
      >
        {(Object.keys(VALUE_TYPE_LABELS) as TestValueType[]).map((t) => (
          <option key={t} value={t}>
            {VALUE_TYPE_LABELS[t]}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A number test's unit and limits (empty: no limit on that side). */
function NumberFields({
  unit,
  min,
  max,
  set,
}: {
  unit: string;
  min: string;
  max: string;
  set: { setUnit(v: string): void; setMin(v: string): void; setMax(v: string): void };
}) {
  return (
    <>
      <Field label="Unit" hint="e.g. V, mA">
        <input
          name="unit"
          maxLength={20}
          value={unit}
          onChange={(e) => set.setUnit(e.target.value)}
        />
      </Field>
      <LimitField name="min" label="Minimum" side="lower" value={min} onChange={set.setMin} />
      <LimitField name="max" label="Maximum" side="upper" value={max} onChange={set.setMax} />
    </>
  );
}

function LimitField({
  name,
  label,
  side,
  value,
  onChange,
}: {
  name: string;
  label: string;
  side: string;
  value: string;
  onChange(v: string): void;
}) {
  return (
    <Field label={label} hint={`inclusive; empty: no ${side} limit`}>
      <input
        name={name}
        inputMode="decimal"
        maxLength={40}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}
