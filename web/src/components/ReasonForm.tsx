import { useState, type FormEvent, type ReactNode } from 'react';
import { useAction } from '../hooks/useAction.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Field } from './Field.js';

/**
 * An action that needs a reason, which is recorded (scrap, remove, cancel): one required text
 * field, the action's button, and its error. `act` answers undefined when the request failed.
 */
export function ReasonForm({
  label,
  name,
  hint,
  children,
  action: [idle, busy],
  danger = false,
  autoFocus = false,
  act,
  onClose,
  className = 'card form',
}: {
  /** The form's accessible name. */
  label: string;
  /** The input's name. */
  name: string;
  hint?: string;
  /** Shown above the field (a heading, an explanation). */
  children?: ReactNode;
  /** The button's text, idle and while the request runs. */
  action: [string, string];
  danger?: boolean;
  autoFocus?: boolean;
  act(reason: string, run: ReturnType<typeof useAction>['run']): Promise<unknown>;
  /** Adds a "Keep it" button that closes the form. */
  onClose?: () => void;
  className?: string;
}) {
  const [reason, setReason] = useState('');
  const request = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await act(reason, request.run);
  };

  return (
    <form className={className} onSubmit={submit} aria-label={label}>
      {children}
      <Field label="Reason" hint={hint} wide>
        <input
          name={name}
          required
          autoFocus={autoFocus}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Field>
      {request.error !== null && <ErrorMessage error={request.error} />}
      <div className="actions">
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={request.busy}>
          {request.busy ? busy : idle}
        </button>
        {onClose && (
          <button type="button" onClick={onClose}>
            Keep it
          </button>
        )}
      </div>
    </form>
  );
}
