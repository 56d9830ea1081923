import type { ReactNode } from 'react';

/**
 * A form's row of buttons: the primary submit button, which shows `busyLabel` and is disabled
 * while the request runs (so a second click cannot send it twice), then `children` (further
 * buttons) and, with `onCancel`, a Cancel button.
 */
export function SubmitActions({
  label,
  busyLabel,
  busy,
  disabled = false,
  onCancel,
  children,
}: {
  label: ReactNode;
  busyLabel: string;
  busy: boolean;
  /** Disabled for a reason of the form's own (nothing chosen yet, a field that does not read). */
  disabled?: boolean;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </button>
      {children}
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
