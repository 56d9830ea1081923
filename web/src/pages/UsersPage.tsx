import { USER_ROLES, type UserRole } from '@domain/roles.js';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { User } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { RoleOptions } from '../components/RoleOptions.js';
import { Loading } from '../components/Loading.js';
import { ShownOnce } from '../components/ShownOnce.js';
import { ROLE_LABELS } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';
import { ApiKeysSection } from './users/ApiKeysSection.js';

/** A password the server made, shown once: of a new user or a reset. */
interface GivenPassword {
  username: string;
  password: string;
  why: 'created' | 'reset';
}

/**
 * Admins: the users — add one (its password shown this once), change a role, disable or enable,
 * reset a password, unlock one locked after failed logins — and then the API keys. Every change
 * is in the change log.
 */
export function UsersPage() {
  const api = useApi();
  const { me } = useSession();
  const users = useLoad((signal) => api.users.list(signal), []);
  const action = useAction();
  const [given, setGiven] = useState<GivenPassword | null>(null);
  if (me?.role !== 'admin') return <p className="empty">Only admins see the users.</p>;

  // The list is read again whatever came of it: a refusal may follow another admin's change.
  const act = async <T,>(run: () => Promise<T>): Promise<T | undefined> => {
    const done = await action.run(run);
    users.reload();
    return done;
  };
  const reset = async (user: User) => {
    if (!window.confirm(`Give ${user.username} a new password? Their sessions end.`)) return;
    const done = await act(() => api.users.resetPassword(user.code));
    if (done) setGiven({ username: user.username, password: done.password, why: 'reset' });
  };
  const setDisabled = async (user: User, disabled: boolean) => {
    if (disabled && !window.confirm(`Disable ${user.username}? Their sessions end.`)) return;
    await act(() => api.users.update(user.code, { disabled }));
  };
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
      </div>
      <AddUserForm
        onCreated={(username, password) => {
          setGiven({ username, password, why: 'created' });
          users.reload();
        }}
      />
      {given && (
        <ShownOnce
          label="New password"
          secret={given.password}
          done="Done"
          onDone={() => setGiven(null)}
        >
          {given.why === 'created' ? 'Password of the new user' : 'New password of'}{' '}
          <strong>{given.username}</strong>, shown only this once — give it to them:
        </ShownOnce>
      )}
      {users.error !== undefined && <ErrorMessage error={users.error} retry={users.reload} />}
      {action.error !== null && <ErrorMessage error={action.error} />}
      {users.loading && !users.data && <Loading what="users" />}
      {users.data && (
        <table className="list" aria-label="Users">
          <thead>
            <tr>
              <th>Username</th>
              <th>Role</th>
              <th>Signs in</th>
              <th>Failed logins</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.code}>
                <td>{user.username}</td>
                <td>
                  {user.sso ? (
                    // The provider's claims set it again at every login (docs/sso.md).
                    <span title="set by the single sign-on provider at each login">
                      {ROLE_LABELS[user.role]}
                    </span>
                  ) : (
                    <select
                      aria-label={`Role of ${user.username}`}
                      value={user.role}
                      disabled={action.busy}
                      onChange={(e) =>
                        void act(() =>
                          api.users.update(user.code, { role: e.target.value as UserRole }),
                        )
                      }
                    >
                      <RoleOptions roles={USER_ROLES} />
                    </select>
                  )}
                </td>
                <td>{user.sso ? 'single sign-on' : 'password'}</td>
                <td>{user.failedLogins}</td>
                <td>{user.disabled ? 'disabled' : user.locked ? 'locked' : 'active'}</td>
                <td>
                  <div className="actions">
                    {user.locked && (
                      <button
                        type="button"
                        disabled={action.busy}
                        aria-label={`Unlock ${user.username}`}
                        onClick={() => void act(() => api.users.unlock(user.code))}
                      >
                        Unlock
                      </button>
                    )}
                    {!user.sso && user.code !== me.code && (
                      <button
                        type="button"
                        disabled={action.busy}
                        aria-label={`Reset the password of ${user.username}`}
                        onClick={() => void reset(user)}
                      >
                        Reset password
                      </button>
                    )}
                    {user.code !== me.code && (
                      <button
                        type="button"
                        disabled={action.busy}
                        aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
                        onClick={() => void setDisabled(user, !user.disabled)}
                      >
                        {user.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ApiKeysSection />
    </>
  );
}

function AddUserForm({ onCreated }: { onCreated: (username: string, password: string) => void }) {
  const api = useApi();
  const add = useAction();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<UserRole>('viewer');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await add.run(() => api.users.create({ username, role }));
    if (!created) return;
    setUsername('');
    setRole('viewer');
    onCreated(created.user.username, created.password ?? '');
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Add a user">
      <label>
        Username
        <input
          name="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          maxLength={64}
          autoComplete="off"
        />
      </label>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          <RoleOptions roles={USER_ROLES} />
        </select>
      </label>
      {add.error !== null && <ErrorMessage error={add.error} />}
      <div className="actions">
        <button type="submit" disabled={add.busy}>
          Add user
        </button>
      </div>
      <p className="hint">
        Viewers read; editors also record the floor work; admins also manage users, settings and
        integrations. A password is made for the new user and shown once. Users of single sign-on
        are added at their first login.
      </p>
    </form>
  );
}
