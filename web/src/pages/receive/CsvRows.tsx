import {
  MAX_RECEIVE_FILE_BYTES,
  RECEIVE_FIELDS,
  parseReceiveCsv,
  type ReceiveField,
} from '@domain/receive-csv.js';
import { ValidationError } from '@domain/errors.js';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { ColumnMapping, toMapping, type MappingRow } from '../project/ColumnMapping.js';
import { readBomFile } from '../project/readBomFile.js';
import { RECEIVE_FIELD_LABELS, rowsWithLookups, type ReceiveRow } from './receive-rows.js';

const RECEIVE_MAPPING = {
  fields: RECEIVE_FIELDS,
  labels: RECEIVE_FIELD_LABELS,
  hint: 'Only for columns not recognised by name, e.g. “Mouser No” → Supplier part number.',
  initial: 'sku' as ReceiveField,
};

/**
 * Rows from a CSV (an order confirmation, a packing list): read in the browser with the column
 * mapping, their parts looked up in one request, then shown as rows to check and edit.
 */
export function CsvRows({ onRows }: { onRows(rows: ReceiveRow[]): void }) {
  const api = useApi();
  const [csv, setCsv] = useState('');
  const [supplier, setSupplier] = useState('');
  const [mapping, setMapping] = useState<MappingRow<ReceiveField>[]>([]);
  const [columns, setColumns] = useState<string[]>([]);
  const [read, setRead] = useState<string | null>(null);
  const action = useAction();

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    await action.run(async () => {
      if (file.size > MAX_RECEIVE_FILE_BYTES) throw new Error(`${file.name} is larger than 2 MB`);
      setCsv(await readBomFile(file));
    });
  };

  const preview = async (event: FormEvent) => {
    event.preventDefault();
    setRead(null);
    await action.run(async () => {
      const header = csv.split(/\r?\n/, 1)[0] ?? '';
      setColumns(header.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, '')));
      const parsed = parseReceiveCsv(csv, toMapping(mapping) ?? {});
      const values = parsed.rows.map((r) => ({
        ...(supplier.trim() ? { supplier: supplier.trim() } : {}),
        ...r.values,
      }));
      const keys = values.map((v) => ({ supplier: v.supplier, sku: v.sku, mpn: v.mpn }));
      const lookup = values.every((v) => v.part) ? null : await api.parts.lookup({ items: keys });
      onRows(rowsWithLookups(values, lookup));
      const used = Object.entries(parsed.columns).map(
        ([f, c]) => `${RECEIVE_FIELD_LABELS[f as ReceiveField]} ← “${c}”`,
      );
      setRead(
        `Added ${parsed.rows.length} row${parsed.rows.length === 1 ? '' : 's'}. Columns read: ${used.join(', ')}` +
          (parsed.ignoredColumns.length ? `; not used: ${parsed.ignoredColumns.join(', ')}` : ''),
      );
    });
  };

  return (
    <form className="card form" onSubmit={preview} aria-label="Rows from a file">
      <Field label="CSV file" hint="read in your browser; UTF-8 or UTF-16 text">
        <input name="file" type="file" accept=".csv,.tsv,.txt,text/csv" onChange={chooseFile} />
      </Field>
      <Field label="Supplier" hint="for rows without a supplier column: Digi-Key, Mouser, LCSC, …">
        <input maxLength={100} value={supplier} onChange={(e) => setSupplier(e.target.value)} />
      </Field>
      <Field
        label="CSV text"
        hint="or paste it here: a header row with a quantity and an MPN, supplier part number or part code column"
        wide
      >
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
      <ColumnMapping
        rows={mapping}
        columns={columns}
        onChange={setMapping}
        meaning={RECEIVE_MAPPING}
      />
      {action.error !== null &&
        (action.error instanceof ApiError ? (
          <ErrorMessage error={action.error} />
        ) : (
          // The file's own problems (no quantity column, not UTF-8): said as they are.
          <p className="error field-wide" role="alert">
            {action.error instanceof ValidationError
              ? action.error.reason
              : (action.error as Error).message}
          </p>
        ))}
      {read && (
        <p className="success field-wide" role="status">
          {read}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={action.busy || !csv.trim()}>
          {action.busy ? 'Reading…' : 'Preview rows'}
        </button>
      </div>
    </form>
  );
}
