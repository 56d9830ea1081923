import { Fragment, useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { TestResult, TestTemplate, UnitTests } from '../../api/types.js';
import { DropZone, UploadProgress } from '../../components/attachments/DropZone.js';
import { formatSize } from '../../format.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import type { FieldLabels } from '../../components/field-labels.js';
import { Field } from '../../components/Field.js';
import { Loading } from '../../components/Loading.js';
import { Pager } from '../../components/Pager.js';
import { ReasonForm } from '../../components/ReasonForm.js';
import { limitsText, TestStatusBadge } from '../../components/TestStatusBadge.js';
import { formatDateTime } from '../../format.js';
import { useAction } from '../../hooks/useAction.js';
import { useLoad } from '../../hooks/useLoad.js';
import { SubmitActions } from '../../components/SubmitActions.js';
import { useFormFields } from '../../hooks/useFormFields.js';
import { Notice } from '../../components/Notice.js';

const PAGE = 20;

/**
 * A unit's tests: its status per test of its part (the latest result decides), every result
 * newest first, and a form to record one. `onFileAdded` runs when the form attached a file to
 * the unit (a test that requires one), `onChanged` when a result was recorded.
 */
export function TestsSection({
  unit,
  canWrite,
  onChanged,
  onFileAdded,
  version,
}: {
  unit: string;
  canWrite: boolean;
  /** Changes when the unit changed elsewhere (a station recorded a result): the list loads again. */
  version?: number;
  onChanged?: () => void;
  onFileAdded?: () => void;
}) {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const tests = useLoad(
    (signal) => api.tests.unit(unit, { limit: PAGE, offset }, signal),
    [unit, offset, version],
  );
  const [notice, setNotice] = useState<string | null>(null);
  const data = tests.data;

  return (
    <section className="section" aria-labelledby="unit-tests-heading">
      <h2 id="unit-tests-heading">Tests</h2>
      {tests.error !== undefined && <ErrorMessage error={tests.error} retry={tests.reload} />}
      {tests.loading && !data && <Loading what="the tests" />}
      {data && (
        <>
          {data.tests.length === 0 ? (
            <p className="empty">
              No tests are defined for this unit&apos;s part: define them on the part page.
            </p>
          ) : (
            <>
              <p className="summary" data-testid="tests-passed">
                {data.passed ? 'Every required test passed.' : 'Required tests not passed yet.'}
              </p>
              <StatusTable tests={data.tests} />
            </>
          )}
          <Notice text={notice} />
          {canWrite && (
            <RecordForm
              unit={unit}
              templates={data.tests.map((t) => t.template)}
              onFileAdded={onFileAdded}
              onDone={(r) => {
                setNotice(`${r.name}: ${r.result === 'pass' ? 'passed' : 'failed'}.`);
                setOffset(0);
                tests.reload();
                onChanged?.();
              }}
            />
          )}
          <h3 className="subhead">Results</h3>
          {data.results.total === 0 ? (
            <p className="empty">No results recorded yet.</p>
          ) : (
            <ResultsTable
              items={data.results.items}
              canWrite={canWrite}
              onVoided={(r) => {
                setNotice(`${r.name}: result voided.`);
                tests.reload();
                onChanged?.();
              }}
            />
          )}
          <Pager total={data.results.total} limit={PAGE} offset={offset} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}

function StatusTable({ tests }: { tests: UnitTests['tests'] }) {
  return (
    <table className="list stack" aria-label="Test status">
      <thead>
        <tr>
          <th>Test</th>
          <th>Status</th>
          <th>Latest value</th>
          <th>Tested</th>
        </tr>
      </thead>
      <tbody>
        {tests.map(({ template, status, latest }) => (
          <tr key={template.code} data-key={template.key}>
            <td data-label="Test">
              {template.name} <code className="muted">{template.key}</code>
              {!template.required && <span className="badge">optional</span>}
            </td>
            <td data-label="Status">
              <TestStatusBadge status={status} />
            </td>
            <td data-label="Latest value">
              {latest && valueText(latest, template)}
              {limitsText(template) && (
                <span className="muted"> (limits {limitsText(template)})</span>
              )}
            </td>
            <td data-label="Tested">
              {latest &&
                `${formatDateTime(latest.testedAt)}${latest.station ? ` at ${latest.station}` : ''}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Every result, newest first. A voided one stays, struck, with who voided it and why; a result
 * recorded by mistake (on the wrong unit) is voided here with a reason.
 */
function ResultsTable({
  items,
  canWrite,
  onVoided,
}: {
  items: TestResult[];
  canWrite: boolean;
  onVoided(result: TestResult): void;
}) {
  const api = useApi();
  const [voiding, setVoiding] = useState<number | null>(null);
  return (
    <table className="list stack" aria-label="Test results">
      <thead>
        <tr>
          <th>Tested</th>
          <th>Test</th>
          <th>Result</th>
          <th>Value</th>
          <th>Station</th>
          <th>Operator</th>
          <th>Recorded by</th>
          <th>Voided</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <Fragment key={r.id}>
            <tr className={r.voided ? 'voided' : undefined} data-result={r.id}>
              <td data-label="Tested">{formatDateTime(r.testedAt)}</td>
              <td data-label="Test">{r.name}</td>
              <td data-label="Result">
                <TestStatusBadge status={r.result} />
              </td>
              <td data-label="Value">
                {valueText(r)}
                {Object.entries(r.values).map(([k, v]) => (
                  <span key={k} className="muted">
                    {' '}
                    · {k} {v}
                  </span>
                ))}
                {r.notes && <span className="muted"> · {r.notes}</span>}
              </td>
              <td data-label="Station">{r.station}</td>
              <td data-label="Operator">{r.operator}</td>
              <td data-label="Recorded by">{r.recordedBy.name}</td>
              <td data-label="Voided" className="void-note">
                {r.voided ? (
                  `Voided by ${r.voided.by.name}, ${formatDateTime(r.voided.at)}: ${r.voided.reason}`
                ) : canWrite && voiding !== r.id ? (
                  <button type="button" className="link-button" onClick={() => setVoiding(r.id)}>
                    Void…
                  </button>
                ) : null}
              </td>
            </tr>
            {voiding === r.id && !r.voided && (
              <tr>
                <td colSpan={8}>
                  <ReasonForm
                    label="Void the result"
                    name="voidReason"
                    hint="e.g. recorded on the wrong unit: the result stays, and counts no more"
                    action={[`Void ${r.name}`, 'Voiding…']}
                    danger
                    autoFocus
                    onClose={() => setVoiding(null)}
                    act={async (reason, run) => {
                      const voided = await run(() => api.tests.void(r.id, reason));
                      if (voided) {
                        setVoiding(null);
                        onVoided(voided);
                      }
                    }}
                  />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function valueText(r: TestResult, template?: TestTemplate): string {
  if (r.valueNumber !== null) return `${r.valueNumber}${template?.unit ? ` ${template.unit}` : ''}`;
  return r.valueText ?? '';
}

const FREE = '';

/** The recorded result's fields as the form labels them. */
const RESULT_LABELS: FieldLabels = {
  key: 'Test',
  name: 'Test name',
  value: 'Value',
  result: 'Result',
  station: 'Station',
  operator: 'Operator',
  notes: 'Notes',
  attachment: 'Test file',
};

/** A file uploaded for the form, kept so that a retry after a refused result reuses it. */
interface Uploaded {
  file: File;
  code: string;
}

function RecordForm({
  unit,
  templates,
  onDone,
  onFileAdded,
}: {
  unit: string;
  templates: TestTemplate[];
  onDone(result: TestResult): void;
  onFileAdded?: () => void;
}) {
  const api = useApi();
  const action = useAction();
  const {
    values: form,
    bind,
    setValues,
  } = useFormFields({
    key: templates[0]?.key ?? FREE,
    name: '',
    value: '',
    station: '',
    operator: '',
    notes: '',
  });
  const { key, value } = form;
  const [result, setResult] = useState<'pass' | 'fail' | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [fileMissing, setFileMissing] = useState(false);
  const template = templates.find((t) => t.key === key);
  const type = template?.valueType;
  // A number test with limits is judged by the server; every other test needs a verdict.
  const judged = type === 'number' && (template?.min !== null || template?.max !== null);

  const needsFile = template?.requiresAttachment === true;

  /** The attachment code of the chosen file: uploaded to the unit first, once. */
  const attachmentOf = async (chosen: File): Promise<string> => {
    if (uploaded?.file === chosen) return uploaded.code;
    setProgress(0);
    try {
      const added = await api.attachments.upload(unit, chosen, setProgress);
      setUploaded({ file: chosen, code: added.code });
      onFileAdded?.();
      return added.code;
    } finally {
      setProgress(null);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (needsFile && !file) {
      setFileMissing(true);
      return;
    }
    const recorded = await action.run(async () => {
      const attachment = needsFile && file ? await attachmentOf(file) : undefined;
      return api.tests.record(unit, {
        ...(template ? { key } : { name: form.name }),
        ...(result && !judged ? { result } : {}),
        ...(value.trim() ? { value: value.trim() } : {}),
        ...(attachment ? { attachment } : {}),
        station: form.station,
        operator: form.operator,
        notes: form.notes,
      });
    });
    if (recorded) {
      // Test, station and operator stay for the next unit's result.
      setValues((v) => ({ ...v, value: '', notes: '' }));
      setResult('');
      setFile(null);
      setUploaded(null);
      onDone(recorded);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Record a test result">
      <h3>Record a result</h3>
      <Field label="Test">
        <select {...bind('key')} name="test">
          {templates.map((t) => (
            <option key={t.code} value={t.key}>
              {t.name} ({t.key})
            </option>
          ))}
          <option value={FREE}>Other test (no template)</option>
        </select>
      </Field>
      {!template && (
        <Field label="Test name">
          <input required maxLength={200} {...bind('name')} name="freeName" />
        </Field>
      )}
      {type !== 'pass_fail' && (
        <Field
          label={template?.unit ? `Value (${template.unit})` : 'Value'}
          hint={
            judged
              ? `pass or fail follows from the limits ${limitsText(template!)}`
              : type === 'number'
                ? 'a number'
                : undefined
          }
        >
          <input
            required={type === 'number' || type === 'text'}
            inputMode={type === 'number' ? 'decimal' : undefined}
            maxLength={1000}
            {...bind('value')}
          />
        </Field>
      )}
      {!judged && (
        <div className="segmented field-wide" role="radiogroup" aria-label="Result">
          {(['pass', 'fail'] as const).map((r) => (
            <label key={r} className={result === r ? 'active' : ''}>
              <input
                type="radio"
                name="result"
                value={r}
                required
                checked={result === r}
                onChange={() => setResult(r)}
              />
              {r === 'pass' ? 'Pass' : 'Fail'}
            </label>
          ))}
        </div>
      )}
      <Field label="Station">
        <input maxLength={200} {...bind('station')} />
      </Field>
      <Field label="Operator">
        <input maxLength={200} {...bind('operator')} />
      </Field>
      {needsFile && (
        <div className="field field-wide" role="group" aria-label="Test file">
          <span className="field-label">File (this test requires one: its log, a photo)</span>
          <DropZone
            multiple={false}
            disabled={action.busy}
            hint="Drop the file here, or"
            chooseLabel="Choose the test file"
            photoLabel="Take a photo for the test"
            testId="test-file-drop-zone"
            onFiles={([chosen]) => {
              setFile(chosen ?? null);
              setFileMissing(false);
            }}
          >
            {file === null ? (
              <p className="empty">No file chosen yet.</p>
            ) : (
              <p className="chosen-file" data-testid="test-file">
                {file.name || 'file'} <span className="muted">({formatSize(file.size)})</span>{' '}
                {!action.busy && (
                  <button type="button" className="link-button" onClick={() => setFile(null)}>
                    Remove
                  </button>
                )}
              </p>
            )}
            {progress !== null && <UploadProgress name={file?.name ?? ''} fraction={progress} />}
            {fileMissing && (
              <div className="error" role="alert">
                <span>Choose or take the file this test requires.</span>
              </div>
            )}
          </DropZone>
        </div>
      )}
      <Field label="Notes" wide>
        <input maxLength={10_000} {...bind('notes')} />
      </Field>
      {action.error !== null && <ErrorMessage error={action.error} labels={RESULT_LABELS} />}
      <SubmitActions label="Record result" busyLabel="Recording…" busy={action.busy} />
    </form>
  );
}
