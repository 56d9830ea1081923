import { useApi } from '../api/ApiContext.js';
import type { User } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { ROLE_LABELS } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';

/** Admins: the users, their failed logins, and an Unlock button for a locked one. */
export function UsersPage() {
  const api = useApi();
  const { me } = useSession();
  const users = useLoad((signal) => api.users.list(signal), []);
  const unlock = useAction();
  if (me?.role !== 'admin') return <p className="empty">Only admins see the users.</p>;

  const onUnlock = async (user: User) => {
    if (await unlock.run(() => api.users.unlock(user.code))) users.reload();
  };
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
      </div>
      {users.error !== undefined && <ErrorMessage error={users.error} retry={users.reload} />}
      {unlock.error !== null && <ErrorMessage error={unlock.error} />}
      {users.loading && !users.data && <Loading what="users" />}
      {users.data && (
        <table className="list">
          <thead>
            <tr>
              <th>Username</th>
              <th>Role</th>
              <th>Signs in</th>
              <th>Failed logins</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.code}>
                <td>{user.username}</td>
                <td>{ROLE_LABELS[user.role]}</td>
                <td>{user.sso ? 'single sign-on' : 'password'}</td>
                <td>{user.failedLogins}</td>
                <td>
                  {user.disabled ? 'disabled' : user.locked ? 'locked' : 'active'}
                  {user.locked && (
                    <>
                      {' '}
                      <button
                        type="button"
                        disabled={unlock.busy}
                        aria-label={`Unlock ${user.username}`}
                        onClick={() => void onUnlock(user)}
                      >
                        Unlock
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
