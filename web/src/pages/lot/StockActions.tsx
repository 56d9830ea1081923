import { useState, type FormEvent } from 'react';
import { LocationPicker } from '../../components/LocationPicker.js';
import { useApi } from '../../api/ApiContext.js';
import type { Lot, StockStatus } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { formatQuantity, STATUS_LABELS, STOCK_STATUSES } from '../../format.js';
import { LabelledOptions } from '../../components/LabelledOptions.js';
import { NoteField } from '../../components/NoteField.js';
import { SubmitActions } from '../../components/SubmitActions.js';

type Action = 'remove' | 'move' | 'adjust' | 'status';

const ACTIONS: Record<Action, string> = {
  remove: 'Remove',
  move: 'Move',
  adjust: 'Count',
  status: 'Change status',
};

/** Remove, move, count or change the status of one balance of the lot. */
export function StockActions({ lot, onDone }: { lot: Lot; onDone(message: string): void }) {
  const api = useApi();
  const [action, setAction] = useState<Action>('remove');
  const [from, setFrom] = useState(0);
  const [quantity, setQuantity] = useState('');
  const [to, setTo] = useState('');
  const [toStatus, setToStatus] = useState<StockStatus>('held');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const balance = lot.balances[from] ?? lot.balances[0];
  if (!balance) return null;
  const unit = lot.part.unit;
  // The new status must differ from the current one.
  const target: StockStatus = toStatus !== balance.status ? toStatus : 'on_hand';
  const source = { lot: lot.code, location: balance.location.code, status: balance.status };
  const amount = quantity.trim().replace(',', '.');
  const optional = amount ? { quantity: amount } : {};

  const run = async (): Promise<string> => {
    const at = `${balance.location.name} (${STATUS_LABELS[balance.status]})`;
    const what = amount ? formatQuantity(Number(amount), unit) : 'all';
    switch (action) {
      case 'remove':
        await api.stock.remove({ ...source, quantity: amount, note });
        return `Removed ${what} from ${at}.`;
      case 'move':
        await api.stock.move({ ...source, ...optional, to, note });
        return `Moved ${what} from ${at}.`;
      case 'adjust':
        await api.stock.adjust({ ...source, count: amount, note });
        return `Counted ${what} at ${at}.`;
      case 'status':
        await api.stock.status({ ...source, ...optional, to: target, note });
        return `Changed ${what} at ${at} to ${STATUS_LABELS[target]}.`;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const message = await run();
      setQuantity('');
      setNote('');
      setFrom(0);
      onDone(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const needsAmount = action === 'remove' || action === 'adjust';
  return (
    <form className="card form stock-actions" onSubmit={submit} aria-label="Stock action">
      <h3>Change stock</h3>
      {error !== null && <ErrorMessage error={error} />}
      <div className="segmented field-wide" role="radiogroup" aria-label="Action">
        {(Object.keys(ACTIONS) as Action[]).map((a) => (
          <label key={a} className={a === action ? 'active' : ''}>
            <input
              type="radio"
              name="action"
              value={a}
              checked={a === action}
              onChange={() => setAction(a)}
            />
            {ACTIONS[a]}
          </label>
        ))}
      </div>
      {lot.balances.length > 1 && (
        <Field label="From">
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {lot.balances.map((b, i) => (
              <option key={`${b.location.code}/${b.status}`} value={i}>
                {b.location.name} · {STATUS_LABELS[b.status]} · {formatQuantity(b.quantity, unit)}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field
        label={action === 'adjust' ? 'Counted quantity' : 'Quantity'}
        hint={needsAmount ? undefined : 'leave empty for all of it'}
      >
        <input
          name="quantity"
          inputMode="decimal"
          required={needsAmount}
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
        />
      </Field>
      {action === 'move' && <LocationPicker label="To location" value={to} onChange={setTo} />}
      {action === 'status' && (
        <Field label="New status">
          <select value={target} onChange={(e) => setToStatus(e.target.value as StockStatus)}>
            <LabelledOptions
              values={STOCK_STATUSES.filter((s) => s !== balance.status)}
              labels={STATUS_LABELS}
            />
          </select>
        </Field>
      )}
      <NoteField
        hint="recorded in the history"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <SubmitActions label={ACTIONS[action]} busyLabel="Working…" busy={busy} />
    </form>
  );
}
