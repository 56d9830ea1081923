import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Lot } from '../../api/types.js';
import {
  CustomFieldsEditor,
  fromRows,
  toRows,
  type FieldRow,
} from '../../components/CustomFieldsEditor.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';

type Text = 'name' | 'description' | 'comments' | 'expiry' | 'vendorLot' | 'dateCode' | 'orderRef';

/** Editors and admins change a lot's fields here; the server records each change. */
export function LotFieldsForm({ lot, onSaved }: { lot: Lot; onSaved(lot: Lot): void }) {
  const api = useApi();
  const [form, setForm] = useState<Record<Text, string>>({
    name: lot.name,
    description: lot.description,
    comments: lot.comments,
    expiry: lot.expiry ?? '',
    vendorLot: lot.vendorLot,
    dateCode: lot.dateCode,
    orderRef: lot.orderRef,
  });
  const [tags, setTags] = useState(lot.tags.join(', '));
  const [rows, setRows] = useState<FieldRow[]>(toRows(lot.customFields));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (key: Text) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await api.lots.update(lot.code, {
        ...form,
        expiry: form.expiry || null,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        customFields: fromRows(rows),
      });
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Lot fields">
      {error !== null && <ErrorMessage error={error} />}
      <Field label="Name" hint="your lot number or a customer serial">
        <input name="name" maxLength={200} value={form.name} onChange={set('name')} />
      </Field>
      <Field label="Expiry">
        <input name="expiry" type="date" value={form.expiry} onChange={set('expiry')} />
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
      <Field label="Order ref">
        <input name="orderRef" maxLength={200} value={form.orderRef} onChange={set('orderRef')} />
      </Field>
      <Field label="Tags" hint="separated by commas">
        <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
      </Field>
      <Field label="Description" wide>
        <textarea
          name="description"
          rows={2}
          value={form.description}
          onChange={set('description')}
        />
      </Field>
      <Field label="Comments" wide>
        <textarea name="comments" rows={3} value={form.comments} onChange={set('comments')} />
      </Field>
      <CustomFieldsEditor rows={rows} onChange={setRows} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save fields'}
        </button>
      </div>
    </form>
  );
}
