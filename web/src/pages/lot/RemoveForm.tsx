import { useApi } from '../../api/ApiContext.js';
import type { TraceNode } from '../../api/types.js';
import { ReasonForm } from '../../components/ReasonForm.js';

/** Removes an installed unit (rework, repair): it comes back into stock, the reason is recorded. */
export function RemoveForm({
  child,
  onDone,
  onClose,
}: {
  child: TraceNode;
  onDone(message: string): void;
  onClose(): void;
}) {
  const api = useApi();
  const name = child.label ?? child.shortCode;
  return (
    <ReasonForm
      label="Remove a unit"
      name="removeReason"
      hint="rework, repair: recorded in both units' history"
      action={[`Remove ${name}`, 'Removing…']}
      autoFocus
      onClose={onClose}
      act={async (reason, run) => {
        const done = await run(() => api.installations.remove({ child: child.code, reason }));
        if (done) onDone(`Removed ${name}.`);
      }}
    >
      <h3>Remove {name}</h3>
    </ReasonForm>
  );
}
