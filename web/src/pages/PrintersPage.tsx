import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { Printer, PrinterCreate } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';

const EMPTY: PrinterCreate = { name: '', kind: 'zpl', address: '', dpi: 203 };

/** Admins: this site's label printers — ZPL on a raw TCP port, or IPP printers that take PDF. */
export function PrintersPage() {
  const api = useApi();
  const { me } = useSession();
  const printers = useLoad((signal) => api.printers.list(signal), []);
  const add = useAction();
  const change = useAction();
  const [form, setForm] = useState<PrinterCreate>(EMPTY);
  if (me?.role !== 'admin') return <p className="empty">Only admins manage printers.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add.run(() => api.printers.create(form))) {
      setForm(EMPTY);
      printers.reload();
    }
  };
  const toggle = async (p: Printer) => {
    if (await change.run(() => api.printers.update(p.code, { active: !p.active })))
      printers.reload();
  };
  return (
    <>
      <div className="page-head">
        <h1>Printers</h1>
      </div>
      <form className="card form" onSubmit={submit} aria-label="Add a printer">
        <p className="hint field-wide">
          Every print form offers “Print to …” for the active printers. A ZPL printer (Zebra and
          compatibles) gets ZPL on its raw port, host:9100; an IPP printer (CUPS, office printers)
          gets a PDF at its ipp:// address.
        </p>
        <label>
          Name
          <input
            name="name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            required
            maxLength={200}
          />
        </label>
        <label>
          Kind
          <select
            name="kind"
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value === 'ipp' ? 'ipp' : 'zpl' })}
          >
            <option value="zpl">ZPL over TCP (port 9100)</option>
            <option value="ipp">IPP (PDF)</option>
          </select>
        </label>
        <label>
          Address
          <input
            name="address"
            value={form.address}
            placeholder={
              form.kind === 'zpl' ? '10.0.0.5:9100' : 'ipp://cups.local:631/printers/labels'
            }
            onChange={(e) => setForm({ ...form, address: e.target.value })}
            required
          />
        </label>
        {form.kind === 'zpl' && (
          <label>
            Resolution
            <select
              name="dpi"
              value={form.dpi}
              onChange={(e) =>
                setForm({ ...form, dpi: Number(e.target.value) === 300 ? 300 : 203 })
              }
            >
              <option value={203}>203 dpi</option>
              <option value={300}>300 dpi</option>
            </select>
          </label>
        )}
        {add.error !== null && <ErrorMessage error={add.error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add printer'}
          </button>
        </div>
      </form>
      {printers.error !== undefined && (
        <ErrorMessage error={printers.error} retry={printers.reload} />
      )}
      {printers.loading && !printers.data && <Loading what="the printers" />}
      {printers.data && (
        <section className="section">
          {printers.data.items.length === 0 ? (
            <p className="empty">No printers yet.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Printer</th>
                  <th>Kind</th>
                  <th>Address</th>
                  <th>Resolution</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {printers.data.items.map((p) => (
                  <tr key={p.code} className={p.active ? '' : 'muted'}>
                    <td>{p.name}</td>
                    <td>{p.kind === 'zpl' ? 'ZPL' : 'IPP'}</td>
                    <td className="code">{p.address}</td>
                    <td>{p.kind === 'zpl' ? `${p.dpi} dpi` : ''}</td>
                    <td>
                      <button type="button" disabled={change.busy} onClick={() => void toggle(p)}>
                        {p.active ? 'Deactivate' : 'Activate'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {change.error !== null && <ErrorMessage error={change.error} />}
        </section>
      )}
    </>
  );
}
