import { createContext, use } from 'react';
import type { Me } from '../api/types.js';

export interface Session {
  /** undefined while still asking the server; null when nobody is logged in. */
  me: Me | null | undefined;
  /** The user logged out on purpose (rather than the session expiring). */
  loggedOut: boolean;
  /** Editors and admins change things; viewers only look. */
  canWrite: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}
