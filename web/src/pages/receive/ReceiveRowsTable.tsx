import { objectUrl } from '@domain/object-url.js';
import type { ReceiveField } from '@domain/receive-csv.js';
import { Link } from 'react-router';
import { rowEdits } from '../../rows.js';
import { newPartName, type ReceiveRow } from './receive-rows.js';

/** The editable columns, in the order they are shown. */
const COLUMNS: { field: ReceiveField; label: string; width?: string }[] = [
  { field: 'quantity', label: 'Quantity' },
  { field: 'sku', label: 'Supplier part number' },
  { field: 'mpn', label: 'MPN' },
  { field: 'vendorLot', label: 'Vendor lot' },
  { field: 'dateCode', label: 'Date code' },
  { field: 'orderRef', label: 'Order' },
];

/**
 * The rows about to be received, each editable: its part (found, to pick among several, or to
 * create from the row), quantity and the label's fields. `problem` marks the row the server
 * refused, with its reason.
 */
export function ReceiveRowsTable({
  rows,
  onChange,
  problem,
}: {
  rows: ReceiveRow[];
  onChange(rows: ReceiveRow[]): void;
  problem: { row: number; reason: string } | undefined;
}) {
  const { change, remove } = rowEdits(rows, onChange);
  return (
    <div className="table-scroll">
      <table className="list stack receive-rows" aria-label="Rows to receive">
        <thead>
          <tr>
            <th className="num">Row</th>
            <th>Part</th>
            {COLUMNS.map((c) => (
              <th key={c.field}>{c.label}</th>
            ))}
            <th aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr
              key={row.id}
              className={problem?.row === i ? 'row-short' : undefined}
              data-testid="receive-row"
            >
              <td data-label="Row" className="num">
                {i + 1}
              </td>
              <td data-label="Part">
                <PartCell row={row} index={i} onChange={(patch) => change(i, patch)} />
                {problem?.row === i && (
                  <p className="error" role="alert">
                    {problem.reason}
                  </p>
                )}
              </td>
              {COLUMNS.map((c) => (
                <td key={c.field} data-label={c.label}>
                  <input
                    aria-label={`${c.label}, row ${i + 1}`}
                    value={row.values[c.field] ?? ''}
                    maxLength={200}
                    inputMode={c.field === 'quantity' ? 'decimal' : undefined}
                    onChange={(e) =>
                      change(i, { values: { ...row.values, [c.field]: e.target.value } })
                    }
                  />
                </td>
              ))}
              <td>
                <button type="button" aria-label={`Remove row ${i + 1}`} onClick={() => remove(i)}>
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PartCell({
  row,
  index,
  onChange,
}: {
  row: ReceiveRow;
  index: number;
  onChange(patch: Partial<ReceiveRow>): void;
}) {
  if (row.part)
    return (
      <Link to={objectUrl('', row.part.code)} target="_blank">
        {row.part.name}
      </Link>
    );
  if (row.candidates.length > 0)
    return (
      <select
        aria-label={`Part, row ${index + 1}`}
        value=""
        onChange={(e) =>
          onChange({ part: row.candidates.find((c) => c.code === e.target.value) ?? null })
        }
      >
        <option value="">Several parts match: which one?</option>
        {row.candidates.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name} ({c.shortCode})
          </option>
        ))}
      </select>
    );
  const name = newPartName(row);
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={row.createPart}
        disabled={!name}
        onChange={(e) => onChange({ createPart: e.target.checked })}
      />
      {name ? `New part “${name}”` : 'No part matches: give an MPN or a supplier part number'}
    </label>
  );
}
