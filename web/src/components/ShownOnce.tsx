import type { ReactNode } from 'react';

/**
 * A secret the server made and returns only once (a password, an API key, a signing secret):
 * what it is, the secret, and the button that puts it away for good.
 */
export function ShownOnce({
  label,
  secret,
  done,
  onDone,
  children,
}: {
  /** The card's accessible name, e.g. "New API key". */
  label: string;
  secret: string;
  /** The button's text, e.g. "I have kept it". */
  done: string;
  onDone: () => void;
  /** What the secret is and where it goes, ending "shown only this once". */
  children: ReactNode;
}) {
  return (
    <div className="card" role="status" aria-label={label}>
      <p>{children}</p>
      <p className="code secret">{secret}</p>
      <button type="button" onClick={onDone}>
        {done}
      </button>
    </div>
  );
}
