import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import type { Part, SupplierPart } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import type { FieldLabels } from '../../components/field-labels.js';
import { Field } from '../../components/Field.js';
import { FieldList } from '../../components/FieldList.js';
import { useAction } from '../../hooks/useAction.js';
import { rowEdits } from '../../rows.js';
import { SubmitActions } from '../../components/SubmitActions.js';

/** The request's fields as the form labels them. */
const IDENTIFIER_LABELS: FieldLabels = {
  gtin: 'GTIN',
  'suppliers.*.supplier': 'Supplier {n}',
  'suppliers.*.sku': 'Supplier {n} part number',
};

/**
 * The part's GTIN (for GS1 UDI labels) and its distributor part numbers (a scanned bag label
 * finds the part by them): read-only for viewers, a form for editors.
 */
export function PartIdentifiers({
  part,
  canWrite,
  onSaved,
}: {
  part: Part;
  canWrite: boolean;
  onSaved(part: Part): void;
}) {
  return (
    <section className="section">
      <h2>GTIN and supplier part numbers</h2>
      {canWrite ? (
        <IdentifiersForm part={part} onSaved={onSaved} />
      ) : (
        <FieldList
          fields={[
            ['GTIN', part.gtin],
            ...part.suppliers.map((s): [string, string] => [s.supplier, s.sku]),
          ]}
        />
      )}
    </section>
  );
}

function IdentifiersForm({ part, onSaved }: { part: Part; onSaved(part: Part): void }) {
  const api = useApi();
  const [gtin, setGtin] = useState(part.gtin ?? '');
  const [rows, setRows] = useState<SupplierPart[]>(part.suppliers);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const field = action.error instanceof ApiError ? action.error.field : undefined;
  const { change, remove, add } = rowEdits(rows, setRows);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // Rows left empty go from the form too, so that the server's `suppliers.N` is row N on
    // screen; half-filled ones are the server's to refuse.
    const suppliers = rows.filter((r) => r.supplier.trim() || r.sku.trim());
    setRows(suppliers);
    const updated = await action.run(() =>
      api.parts.update(part.code, { gtin: gtin.trim() || null, suppliers }),
    );
    if (!updated) return;
    // The server's form of what was typed: a GTIN-13 is stored as 14 digits.
    setGtin(updated.gtin ?? '');
    setRows(updated.suppliers);
    setSaved(true);
    onSaved(updated);
  };

  return (
    <form className="form" onSubmit={submit} aria-label="GTIN and supplier part numbers">
      {action.error !== null && <ErrorMessage error={action.error} labels={IDENTIFIER_LABELS} />}
      {saved && action.error === null && (
        <p className="success field-wide" role="status">
          Saved.
        </p>
      )}
      <Field label="GTIN" hint="GTIN-8, -12, -13 or -14 with its check digit; for UDI labels">
        <input
          name="gtin"
          inputMode="numeric"
          autoComplete="off"
          maxLength={20}
          aria-invalid={field === 'gtin' || undefined}
          value={gtin}
          onChange={(e) => setGtin(e.target.value)}
        />
      </Field>
      <fieldset className="custom-fields field-wide">
        <legend>Supplier part numbers</legend>
        {rows.length === 0 && <p className="muted">None.</p>}
        {rows.map((row, i) => {
          const invalid = field === `suppliers.${i}` || field?.startsWith(`suppliers.${i}.`);
          return (
            <div className="supplier-row" key={i}>
              <input
                aria-label={`Supplier ${i + 1}`}
                aria-invalid={invalid || undefined}
                placeholder="Digi-Key"
                maxLength={100}
                value={row.supplier}
                onChange={(e) => change(i, { supplier: e.target.value })}
              />
              <input
                aria-label={`Supplier ${i + 1} part number`}
                aria-invalid={invalid || undefined}
                placeholder="296-1395-1-ND"
                maxLength={100}
                spellCheck={false}
                value={row.sku}
                onChange={(e) => change(i, { sku: e.target.value })}
              />
              <button
                type="button"
                aria-label={`Remove supplier ${i + 1}`}
                onClick={() => remove(i)}
              >
                ✕
              </button>
            </div>
          );
        })}
        <button type="button" onClick={() => add({ supplier: '', sku: '' })}>
          Add supplier part number
        </button>
      </fieldset>
      <SubmitActions label="Save GTIN and suppliers" busyLabel="Saving…" busy={action.busy} />
    </form>
  );
}
