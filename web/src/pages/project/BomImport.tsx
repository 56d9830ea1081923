import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import type { BomImportResult } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { BomPreview } from './BomPreview.js';
import { ColumnMapping, toMapping, type MappingRow } from './ColumnMapping.js';
import { readBomFile } from './readBomFile.js';

interface Preview {
  result: BomImportResult;
  /** The request it answers: a change of the file or the options needs a new preview. */
  key: string;
}

/**
 * Import a BOM: paste a CSV or choose a file (read here, in the browser), preview what each
 * line matches, then import it — all or nothing, replacing the BOM.
 */
export function BomImport({
  projectCode,
  onImported,
}: {
  projectCode: string;
  onImported(): void;
}) {
  const api = useApi();
  const [csv, setCsv] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<MappingRow[]>([]);
  const [createParts, setCreateParts] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<BomImportResult | null>(null);
  const action = useAction();

  const request = { csv, mapping: toMapping(mapping), createParts };
  const key = JSON.stringify(request);
  const current = preview?.key === key ? preview.result : null;

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setFileError(null);
    try {
      setCsv(await readBomFile(file));
    } catch (e) {
      setFileError(e instanceof Error ? e.message : String(e));
    }
  };

  const runPreview = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const result = await action.run(() =>
      api.projects.importBom(projectCode, { ...request, commit: false }),
    );
    setPreview(result ? { result, key } : null);
  };

  const commit = async () => {
    const result = await action.run(() =>
      api.projects.importBom(projectCode, { ...request, commit: true }),
    );
    if (!result) return;
    setPreview(null);
    setDone(result);
    setCsv('');
    onImported();
  };

  const columns = current
    ? [...Object.values(current.columns), ...current.ignoredColumns]
    : (preview?.result.ignoredColumns ?? []);
  const problems = action.error instanceof ApiError ? action.error.problems : [];

  return (
    <form className="card form" onSubmit={runPreview} aria-label="Import BOM">
      <h3>Import a BOM</h3>
      <p className="hint field-wide">
        A KiCad export (BOM plugin or symbol fields table) or any CSV. The import replaces the whole
        BOM; nothing changes until you press Import.
      </p>
      {done && (
        <p className="success field-wide" role="status">
          Imported {done.bom?.entries.length ?? 0} BOM entries
          {done.createdParts.length > 0 && ` and created ${done.createdParts.length} parts`}.
        </p>
      )}
      <Field label="BOM file" hint="read in your browser; UTF-8 or UTF-16 text">
        <input name="file" type="file" accept=".csv,.tsv,.txt,text/csv" onChange={chooseFile} />
      </Field>
      {fileError && (
        <p className="error field-wide" role="alert">
          {fileError}
        </p>
      )}
      <Field label="CSV text" hint="or paste it here" wide>
        <textarea
          name="csv"
          rows={6}
          required
          spellCheck={false}
          className="mono"
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
        />
      </Field>
      <ColumnMapping rows={mapping} columns={columns} onChange={setMapping} />
      <label className="check field-wide">
        <input
          type="checkbox"
          name="createParts"
          checked={createParts}
          onChange={(e) => setCreateParts(e.target.checked)}
        />
        Create missing parts (a component part for each line no part matches)
      </label>
      {action.error !== null && <ErrorMessage error={action.error} />}
      {problems.length > 0 && <ProblemList problems={problems} />}
      <div className="actions">
        <button type="submit" disabled={action.busy || !csv.trim()}>
          {action.busy && !current ? 'Checking…' : 'Preview'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={action.busy || !current?.ready}
          onClick={commit}
        >
          {action.busy && current ? 'Importing…' : 'Import'}
        </button>
      </div>
      {current && !current.ready && (
        <p className="hint field-wide">
          Import is possible once every line has a part and no problems: map columns, create missing
          parts, or correct the file.
        </p>
      )}
      {preview && !current && (
        <p className="hint field-wide">The file or the options changed: preview again.</p>
      )}
      {current && (
        <div className="field-wide">
          <BomPreview result={current} />
        </div>
      )}
    </form>
  );
}

function ProblemList({ problems }: { problems: ApiError['problems'] }) {
  return (
    <ul className="problems field-wide" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i}>
          {p.line > 0 ? <strong>Line {p.line}: </strong> : null}
          {p.message}
        </li>
      ))}
    </ul>
  );
}
