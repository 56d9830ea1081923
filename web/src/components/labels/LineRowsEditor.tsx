import { LABEL_FIELDS } from '@domain/label-template.js';
import type { LineRow } from './label-text.js';
import { rowEdits } from '../../rows.js';

const FIELDS_HINT = `Text with fields in braces, e.g. S/N {customerSerial}. Fields: ${LABEL_FIELDS.map((f) => `{${f}}`).join(' ')} {custom:<name>}. A line whose fields are all empty is left out.`;

/** A template's text lines as rows: text with {fields}, font size (empty: automatic), bold. */
export function LineRowsEditor({
  rows,
  invalidRow,
  onChange,
}: {
  rows: LineRow[];
  /** The row the server's error is about, marked invalid. */
  invalidRow?: number | undefined;
  onChange(rows: LineRow[]): void;
}) {
  const { change, remove, add } = rowEdits(rows, onChange);
  return (
    <fieldset className="custom-fields field-wide label-lines">
      <legend>Text lines</legend>
      <p className="hint">{FIELDS_HINT}</p>
      {rows.length === 0 && <p className="muted">No text: the symbol only.</p>}
      {rows.map((row, i) => (
        <div className="label-line" key={i}>
          <input
            aria-label={`Line ${i + 1}`}
            aria-invalid={invalidRow === i || undefined}
            placeholder="{shortCode}"
            spellCheck={false}
            maxLength={300}
            value={row.text}
            onChange={(e) => change(i, { text: e.target.value })}
          />
          <input
            aria-label={`Line ${i + 1} size (pt)`}
            type="number"
            inputMode="decimal"
            min={4}
            max={72}
            step="any"
            placeholder="auto"
            value={row.size}
            onChange={(e) => change(i, { size: e.target.value })}
          />
          <label className="label-line-bold">
            <input
              type="checkbox"
              checked={row.bold}
              onChange={(e) => change(i, { bold: e.target.checked })}
            />
            Bold
          </label>
          <button type="button" aria-label={`Remove line ${i + 1}`} onClick={() => remove(i)}>
            ✕
          </button>
        </div>
      ))}
      {rows.length < 12 && (
        <button type="button" onClick={() => add({ text: '', size: '', bold: false })}>
          Add line
        </button>
      )}
    </fieldset>
  );
}
