import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { StockStatus } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { Picker } from '../components/Picker.js';
import { STATUS_LABELS, STOCK_STATUSES } from '../format.js';

const EMPTY = {
  quantity: '',
  status: 'on_hand' as StockStatus,
  name: '',
  vendorLot: '',
  dateCode: '',
  expiry: '',
  orderRef: '',
  note: '',
};

/** Receive stock: one new lot of a part at a location. Opens the new lot's page. */
export function ReceivePage() {
  const api = useApi();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [part, setPart] = useState('');
  const [location, setLocation] = useState('');
  const [form, setForm] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { quantity, status, note, expiry, ...lot } = form;
      const result = await api.stock.receive([
        {
          part,
          location,
          quantity: quantity.trim().replace(',', '.'),
          status,
          note,
          lot: { ...lot, ...(expiry ? { expiry } : {}) },
        },
      ]);
      navigate(`/c/${result.lots[0]!.code}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Receive stock</h1>
      <form className="card form" onSubmit={submit}>
        {error !== null && <ErrorMessage error={error} />}
        <Picker
          label="Part"
          plural="parts"
          value={part}
          onChange={setPart}
          initial={params.get('part')}
          search={(q, signal) => api.parts.list({ q, limit: 50 }, signal)}
          fetchOne={(code, signal) => api.parts.get(code, signal)}
          describe={(p) => [p.name, p.mpn].filter(Boolean).join(' — ') + ` (${p.shortCode})`}
        />
        <Picker
          label="Location"
          plural="locations"
          value={location}
          onChange={setLocation}
          initial={params.get('location')}
          search={(q, signal) => api.locations.list({ q, limit: 50 }, signal)}
          fetchOne={(code, signal) => api.locations.get(code, signal)}
          describe={(l) => `${l.name} (${l.shortCode})`}
        />
        <Field label="Quantity">
          <input
            name="quantity"
            inputMode="decimal"
            required
            value={form.quantity}
            onChange={set('quantity')}
          />
        </Field>
        <Field label="Status">
          <select name="status" value={form.status} onChange={set('status')}>
            {STOCK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Lot name" hint="optional: your lot number or a customer serial">
          <input name="lotName" maxLength={200} value={form.name} onChange={set('name')} />
        </Field>
        <Field label="Vendor lot">
          <input
            name="vendorLot"
            maxLength={200}
            value={form.vendorLot}
            onChange={set('vendorLot')}
          />
        </Field>
        <Field label="Date code">
          <input name="dateCode" maxLength={200} value={form.dateCode} onChange={set('dateCode')} />
        </Field>
        <Field label="Expiry">
          <input name="expiry" type="date" value={form.expiry} onChange={set('expiry')} />
        </Field>
        <Field label="Order ref">
          <input name="orderRef" maxLength={200} value={form.orderRef} onChange={set('orderRef')} />
        </Field>
        <Field label="Note" hint="recorded in the history">
          <input name="note" maxLength={1000} value={form.note} onChange={set('note')} />
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Receiving…' : 'Receive'}
          </button>
        </div>
      </form>
    </>
  );
}
