import { useId } from 'react';
import type { BomField } from '../../api/types.js';
import { BOM_FIELD_LABELS, BOM_FIELDS } from '../../format-builds.js';
import { rowEdits } from '../../rows.js';

export type MappingRow = { column: string; field: BomField };

/**
 * Which column of a generic CSV means what (KiCad's columns are recognised by their names).
 * `columns`: the header of the last preview, offered as suggestions.
 */
export function ColumnMapping({
  rows,
  columns,
  onChange,
}: {
  rows: MappingRow[];
  columns: string[];
  onChange(rows: MappingRow[]): void;
}) {
  const id = useId();
  const { change, remove, add } = rowEdits(rows, onChange);
  return (
    <fieldset className="custom-fields field-wide">
      <legend>Column mapping</legend>
      <p className="hint">
        Only for columns the import does not recognise by name, e.g. “Mfr Code” → MPN.
      </p>
      <datalist id={`${id}-columns`}>
        {columns.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {rows.map((row, i) => (
        <div className="custom-field" key={i}>
          <input
            aria-label={`Column ${i + 1}`}
            placeholder="Column in the file"
            list={`${id}-columns`}
            value={row.column}
            onChange={(e) => change(i, { column: e.target.value })}
          />
          <select
            aria-label={`Column ${i + 1} means`}
            value={row.field}
            onChange={(e) => change(i, { field: e.target.value as BomField })}
          >
            {BOM_FIELDS.map((f) => (
              <option key={f} value={f}>
                {BOM_FIELD_LABELS[f]}
              </option>
            ))}
          </select>
          <button type="button" aria-label={`Remove column ${i + 1}`} onClick={() => remove(i)}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => add({ column: '', field: 'mpn' })}>
        Map a column
      </button>
    </fieldset>
  );
}

/** The mapping the API takes: rows without a column name are left out. */
export function toMapping(rows: MappingRow[]): Record<string, string> | undefined {
  const named = rows.filter((r) => r.column.trim());
  return named.length
    ? Object.fromEntries(named.map((r) => [r.column.trim(), r.field]))
    : undefined;
}
