import { useApi } from '../api/ApiContext.js';
import type { BomEntry, Lot, LotChoice } from '../api/types.js';
import { formatQuantity } from '../format.js';
import { Field } from './Field.js';
import type { FieldLabels } from './field-labels.js';
import { Picker } from './Picker.js';
import { rowEdits } from '../rows.js';

export type ChoiceRow = { entry: number; lot: string; quantity: string };

/** The request's `lots` as the choices are labelled, for error messages (field-labels.ts). */
export const LOT_CHOICE_LABELS: FieldLabels = {
  'lots.*.entry': 'Chosen lot {n}: BOM entry',
  'lots.*.lot': 'Chosen lot {n}',
  'lots.*.quantity': 'Chosen lot {n}: quantity',
};

/**
 * Lots chosen by hand per BOM entry (reel A for these units); entries without a choice are
 * picked automatically. Without a quantity, a lot gives as much as the entry still needs.
 */
export function LotChoices({
  entries,
  rows,
  onChange,
}: {
  /** The BOM entries lots can be chosen for (a stage's, or every placed one). */
  entries: BomEntry[];
  rows: ChoiceRow[];
  onChange(rows: ChoiceRow[]): void;
}) {
  const api = useApi();
  const { change, remove, add } = rowEdits(rows, onChange);
  const first = entries[0];
  return (
    <fieldset className="custom-fields field-wide lot-choices">
      <legend>Lots chosen by hand</legend>
      {rows.length === 0 && (
        <p className="hint">None: every entry’s lots are picked automatically.</p>
      )}
      {rows.map((row, i) => {
        const entry = entries.find((e) => e.position === row.entry);
        return (
          <div className="lot-choice" key={i} role="group" aria-label={`Chosen lot ${i + 1}`}>
            <Field label="BOM entry">
              <select
                value={row.entry}
                onChange={(e) => change(i, { entry: Number(e.target.value), lot: '' })}
              >
                {entries.map((e) => (
                  <option key={e.position} value={e.position}>
                    {e.position}. {e.part.name}
                    {e.designators.length > 0 && ` (${e.designators.join(', ')})`}
                  </option>
                ))}
              </select>
            </Field>
            {entry && (
              <Picker<Lot>
                key={entry.position}
                label="Lot"
                plural={`lots of ${entry.part.name}`}
                value={row.lot}
                onChange={(lot) => change(i, { lot })}
                search={async (q, signal) => {
                  const page = await api.lots.list(
                    { part: entry.part.code, q, inStock: 'true', limit: 50 },
                    signal,
                  );
                  return { ...page, items: oldestFirst(page.items) };
                }}
                fetchOne={(code, signal) => api.lots.get(code, signal)}
                // A lot chosen already (taken from a pick list) shows as chosen.
                initial={row.lot || undefined}
                describe={describeLot}
              />
            )}
            <Field label="Quantity" hint="empty: what the entry needs">
              <input
                inputMode="decimal"
                value={row.quantity}
                onChange={(e) => change(i, { quantity: e.target.value })}
              />
            </Field>
            <button type="button" onClick={() => remove(i)}>
              Remove choice {i + 1}
            </button>
          </div>
        );
      })}
      {first && (
        <button type="button" onClick={() => add({ entry: first.position, lot: '', quantity: '' })}>
          Choose a lot by hand
        </button>
      )}
    </fieldset>
  );
}

/** Oldest received first, as FIFO picking takes them (ties by code, as the server breaks them). */
export function oldestFirst(lots: Lot[]): Lot[] {
  return [...lots].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.code < b.code ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
}

/** `3F7K2M9Q · Reel A · received 2026-03-02 · vendor lot VL-1 · 4,000 pcs on hand` */
export function describeLot(lot: Lot): string {
  const onHand = lot.balances
    .filter((b) => b.status === 'on_hand')
    .reduce((n, b) => n + b.quantity, 0);
  return [
    lot.shortCode,
    lot.name,
    `received ${lot.createdAt.slice(0, 10)}`,
    lot.vendorLot && `vendor lot ${lot.vendorLot}`,
    `${formatQuantity(onHand, lot.part.unit)} on hand`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The choices the API takes: rows with a lot; an empty quantity means "as needed". */
export function toLotChoices(rows: ChoiceRow[]): LotChoice[] {
  return rows
    .filter((r) => r.lot)
    .map((r) => {
      const quantity = r.quantity.trim().replace(',', '.');
      return quantity ? { entry: r.entry, lot: r.lot, quantity } : { entry: r.entry, lot: r.lot };
    });
}
