import { ROLES, type Role } from '@domain/roles.js';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { ApiKey, ApiKeyCreated } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { RoleOptions } from '../../components/RoleOptions.js';
import { Loading } from '../../components/Loading.js';
import { ShownOnce } from '../../components/ShownOnce.js';
import { formatDateTime, ROLE_LABELS } from '../../format.js';
import { useAction } from '../../hooks/useAction.js';
import { useLoad } from '../../hooks/useLoad.js';

/**
 * Admins: the API keys of test stations, scripts and other sites — make one (the key shown
 * this once), see which are in use, revoke one. Every change is in the change log.
 */
export function ApiKeysSection() {
  const api = useApi();
  const keys = useLoad((signal) => api.apiKeys.list(signal), []);
  const action = useAction();
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke the key ${key.name}? What uses it is refused from now on.`)) return;
    await action.run(() => api.apiKeys.revoke(key.code));
    keys.reload();
  };
  return (
    <section className="section" aria-label="API keys">
      <h2>API keys</h2>
      <p className="hint">
        For test stations, scripts and integrations: send the key as{' '}
        <code>Authorization: Bearer tl_…</code>. It acts with its role, and its changes are logged
        under its name.
      </p>
      <AddKeyForm
        onCreated={(c) => {
          setCreated(c);
          keys.reload();
        }}
      />
      {created && (
        <ShownOnce
          label="New API key"
          secret={created.key}
          done="I have kept it"
          onDone={() => setCreated(null)}
        >
          The key <strong>{created.apiKey.name}</strong>, shown only this once — put it where it is
          used:
        </ShownOnce>
      )}
      {keys.error !== undefined && <ErrorMessage error={keys.error} retry={keys.reload} />}
      {action.error !== null && <ErrorMessage error={action.error} />}
      {keys.loading && !keys.data && <Loading what="API keys" />}
      {keys.data && keys.data.items.length === 0 && <p className="empty">No API keys yet.</p>}
      {keys.data && keys.data.items.length > 0 && (
        <table className="list" aria-label="API keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Made</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((key) => (
              <tr key={key.code}>
                <td>{key.name}</td>
                <td>{ROLE_LABELS[key.role]}</td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{key.revokedAt ? `revoked ${formatDateTime(key.revokedAt)}` : 'active'}</td>
                <td>
                  {!key.revokedAt && (
                    <button
                      type="button"
                      disabled={action.busy}
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => void revoke(key)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AddKeyForm({ onCreated }: { onCreated: (created: ApiKeyCreated) => void }) {
  const api = useApi();
  const add = useAction();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await add.run(() => api.apiKeys.create({ name, role }));
    if (!created) return;
    setName('');
    onCreated(created);
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Make an API key">
      <label>
        Name
        <input
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          placeholder="test-station-3"
        />
      </label>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <RoleOptions roles={ROLES} />
        </select>
      </label>
      {add.error !== null && <ErrorMessage error={add.error} />}
      <div className="actions">
        <button type="submit" disabled={add.busy}>
          Make key
        </button>
      </div>
    </form>
  );
}
