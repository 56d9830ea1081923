import { objectUrl } from '@domain/object-url.js';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { PartKind, Unit } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { KIND_LABELS, PART_KINDS, UNIT_LABELS, UNITS } from '../format.js';

export function NewPartPage() {
  const api = useApi();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    name: '',
    mpn: '',
    manufacturer: '',
    unit: 'pcs' as Unit,
    kind: 'component' as PartKind,
    description: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const part = await api.parts.create(form);
      navigate(objectUrl('', part.code));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <h1>New part</h1>
      <form className="card form" onSubmit={submit}>
        {error !== null && <ErrorMessage error={error} />}
        <Field label="Name">
          <input name="name" required maxLength={200} value={form.name} onChange={set('name')} />
        </Field>
        <Field label="MPN" hint="manufacturer part number">
          <input name="mpn" maxLength={200} value={form.mpn} onChange={set('mpn')} />
        </Field>
        <Field label="Manufacturer">
          <input
            name="manufacturer"
            maxLength={200}
            value={form.manufacturer}
            onChange={set('manufacturer')}
          />
        </Field>
        <Field label="Unit" hint="pieces are counted; other units allow fractions">
          <select name="unit" value={form.unit} onChange={set('unit')}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {UNIT_LABELS[u]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Kind">
          <select name="kind" value={form.kind} onChange={set('kind')}>
            {PART_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Description" wide>
          <textarea
            name="description"
            rows={3}
            value={form.description}
            onChange={set('description')}
          />
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create part'}
          </button>
          <button type="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
