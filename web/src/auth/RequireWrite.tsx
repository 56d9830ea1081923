import type { ReactNode } from 'react';
import { useSession } from './session.js';

/** Forms that change things: viewers are told why they cannot use them, not shown a 403. */
export function RequireWrite({ what, children }: { what: string; children: ReactNode }) {
  const { canWrite, me } = useSession();
  if (canWrite) return children;
  return (
    <>
      <h1>Not for viewers</h1>
      <p className="empty">
        You are logged in as {me?.name}, a viewer: {what} needs an editor or an admin.
      </p>
    </>
  );
}
