import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createTransport } from '../api/client.js';
import { ApiContext } from '../api/ApiContext.js';
import { createApi } from '../api/endpoints.js';
import type { Me } from '../api/types.js';
import { SessionContext, type Session } from './session.js';

/**
 * Owns the API client and who is logged in. Any 401 answer forgets the user, so the
 * <RequireLogin> guard sends them to the login page.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  // undefined: not known yet (GET /auth/me is on its way); null: nobody is logged in.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  // Logged out on purpose (not expired): the login page need not lead back.
  const [loggedOut, setLoggedOut] = useState(false);
  const api = useMemo(() => createApi(createTransport({ onUnauthorized: () => setMe(null) })), []);

  useEffect(() => {
    const controller = new AbortController();
    api.auth.me(controller.signal).then(
      (who) => setMe(who),
      () => {
        if (!controller.signal.aborted) setMe(null);
      },
    );
    return () => controller.abort();
  }, [api]);

  const login = useCallback(
    async (username: string, password: string) =>
      setMe(await api.auth.login({ username, password })),
    [api],
  );
  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      setLoggedOut(true);
      setMe(null);
    }
  }, [api]);

  const session = useMemo<Session>(
    () => ({
      me,
      loggedOut,
      canWrite: me?.role === 'admin' || me?.role === 'editor',
      login,
      logout,
    }),
    [me, loggedOut, login, logout],
  );
  return (
    <ApiContext value={api}>
      <SessionContext value={session}>{children}</SessionContext>
    </ApiContext>
  );
}
