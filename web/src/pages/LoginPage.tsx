import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useLoad } from '../hooks/useLoad.js';
import { Navigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';

/** Where to go after logging in: only a path of this site, never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/parts';
}

export function LoginPage() {
  const { me, login } = useSession();
  const api = useApi();
  const sso = useLoad((signal) => api.auth.sso(signal), []);
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (me) return <Navigate replace to={safeNext(params.get('next'))} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit}>
        <h1>Tracelot</h1>
        <p className="muted">Log in to see and trace your stock.</p>
        {error !== null && <ErrorMessage error={error} />}
        <Field label="Username">
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="off"
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {sso.data?.enabled && (
          <>
            <p className="muted login-or">or</p>
            {/* A plain link: the browser leaves for the provider and comes back with a session. */}
            <a
              className="button"
              href={`/api/v1/auth/oidc/start?next=${encodeURIComponent(safeNext(params.get('next')))}`}
            >
              Sign in with {sso.data.label}
            </a>
          </>
        )}
      </form>
    </main>
  );
}
