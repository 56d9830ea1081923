import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';
import type { SignableOperation } from '@domain/signature.js';

/** Admins: which operations require an electronic signature (each change is logged). */
export function SignatureSettingsPage() {
  const api = useApi();
  const { me } = useSession();
  const settings = useLoad((signal) => api.settings.signatures(signal), []);
  const save = useAction();
  const [required, setRequired] = useState<Set<SignableOperation>>(new Set());
  useEffect(() => {
    if (settings.data)
      setRequired(
        new Set(settings.data.operations.filter((o) => o.required).map((o) => o.operation)),
      );
  }, [settings.data]);
  if (me?.role !== 'admin') return <p className="empty">Only admins change the settings.</p>;

  const toggle = (operation: SignableOperation, on: boolean) => {
    const next = new Set(required);
    if (on) next.add(operation);
    else next.delete(operation);
    setRequired(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run(() => api.settings.setSignatures({ require: [...required] })))
      settings.reload();
  };
  return (
    <>
      <div className="page-head">
        <h1>Electronic signatures</h1>
      </div>
      {settings.error !== undefined && (
        <ErrorMessage error={settings.error} retry={settings.reload} />
      )}
      {settings.loading && !settings.data && <Loading what="settings" />}
      {settings.data && (
        <form className="card form" onSubmit={submit} aria-label="Signature settings">
          <p className="hint field-wide">
            An operation ticked here is refused unless the person doing it signs: they enter their
            password again and say what they sign for (approved, reviewed, performed). Any of them
            may be signed without being required.
          </p>
          {settings.data.operations.map((o) => (
            <label key={o.operation} className="check field-wide">
              <input
                type="checkbox"
                name={o.operation}
                checked={required.has(o.operation)}
                onChange={(e) => toggle(o.operation, e.target.checked)}
              />
              Require a signature to {o.label}
              {o.requiredSince && (
                <span className="muted"> (since {formatDateTime(o.requiredSince)})</span>
              )}
            </label>
          ))}
          {save.error !== null && <ErrorMessage error={save.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={save.busy}>
              {save.busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
