import { rowEdits } from '../rows.js';

export type FieldRow = { key: string; value: string };

/** Custom fields as editable name/value rows. */
export function CustomFieldsEditor({
  rows,
  onChange,
}: {
  rows: FieldRow[];
  onChange(rows: FieldRow[]): void;
}) {
  const { change, remove, add } = rowEdits(rows, onChange);
  return (
    <fieldset className="custom-fields field-wide">
      <legend>Custom fields</legend>
      {rows.length === 0 && <p className="muted">None.</p>}
      {rows.map((row, i) => (
        <div className="custom-field" key={i}>
          <input
            aria-label={`Field ${i + 1} name`}
            placeholder="Name"
            value={row.key}
            onChange={(e) => change(i, { key: e.target.value })}
          />
          <input
            aria-label={`Field ${i + 1} value`}
            placeholder="Value"
            value={row.value}
            onChange={(e) => change(i, { value: e.target.value })}
          />
          <button type="button" aria-label={`Remove field ${i + 1}`} onClick={() => remove(i)}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => add({ key: '', value: '' })}>
        Add field
      </button>
    </fieldset>
  );
}

export function toRows(fields: Record<string, string>): FieldRow[] {
  return Object.entries(fields).map(([key, value]) => ({ key, value }));
}

/** Rows with a name become fields; rows left without a name are dropped. */
export function fromRows(rows: FieldRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value] as const),
  );
}
