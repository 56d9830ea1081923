import { useId } from 'react';
import type { BomField } from '../../api/types.js';
import { BOM_FIELD_LABELS, BOM_FIELDS } from '../../format-builds.js';
import { rowEdits } from '../../rows.js';

export type MappingRow<F extends string = BomField> = { column: string; field: F };

/** What a file's columns can mean, and what a person reads for each. */
export interface MappingFields<F extends string> {
  fields: readonly F[];
  labels: Record<F, string>;
  hint: string;
  /** The meaning a new mapping row starts with. */
  initial: F;
}

const BOM_MAPPING: MappingFields<BomField> = {
  fields: BOM_FIELDS,
  labels: BOM_FIELD_LABELS,
  hint: 'Only for columns the import does not recognise by name, e.g. “Mfr Code” → MPN.',
  initial: 'mpn',
};

/**
 * Which column of a generic CSV means what (KiCad's columns are recognised by their names).
 * `columns`: the header of the last preview, offered as suggestions. `meaning`: the fields of
 * another kind of file (a receipt's), the BOM's by default.
 */
export function ColumnMapping<F extends string = BomField>({
  rows,
  columns,
  onChange,
  meaning = BOM_MAPPING as unknown as MappingFields<F>,
}: {
  rows: MappingRow<F>[];
  columns: string[];
  onChange(rows: MappingRow<F>[]): void;
  meaning?: MappingFields<F>;
}) {
  const id = useId();
  const { change, remove, add } = rowEdits(rows, onChange);
  return (
    <fieldset className="custom-fields field-wide">
      <legend>Column mapping</legend>
      <p className="hint">{meaning.hint}</p>
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
            onChange={(e) => change(i, { field: e.target.value as F })}
          >
            {meaning.fields.map((f) => (
              <option key={f} value={f}>
                {meaning.labels[f]}
              </option>
            ))}
          </select>
          <button type="button" aria-label={`Remove column ${i + 1}`} onClick={() => remove(i)}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => add({ column: '', field: meaning.initial })}>
        Map a column
      </button>
    </fieldset>
  );
}

/** The mapping the API takes: rows without a column name are left out. */
export function toMapping(rows: MappingRow<string>[]): Record<string, string> | undefined {
  const named = rows.filter((r) => r.column.trim());
  return named.length
    ? Object.fromEntries(named.map((r) => [r.column.trim(), r.field]))
    : undefined;
}
