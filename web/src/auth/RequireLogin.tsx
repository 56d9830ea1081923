import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Loading } from '../components/Loading.js';
import { useSession } from './session.js';

/** Shows its pages to logged-in users; sends everyone else to the login page and back. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { me, loggedOut } = useSession();
  const location = useLocation();
  if (me === undefined) return <Loading what="your session" />;
  if (me === null && loggedOut) return <Navigate replace to="/login" />;
  if (me === null) {
    const next = location.pathname + location.search;
    return <Navigate replace to={`/login?next=${encodeURIComponent(next)}`} />;
  }
  return children;
}
