import { useApi } from '../../api/ApiContext.js';
import type { Build } from '../../api/types.js';
import { ReasonForm } from '../../components/ReasonForm.js';

/** Cancels a build that has consumed nothing yet: its units are removed, with a reason. */
export function CancelForm({ build, onDone }: { build: Build; onDone(build: Build): void }) {
  const api = useApi();
  return (
    <details className="card">
      <summary>Cancel this build…</summary>
      <ReasonForm
        label="Cancel the build"
        name="cancelReason"
        className="form"
        action={['Cancel build', 'Cancelling…']}
        danger
        act={async (reason, run) => {
          const cancelled = await run(() => api.builds.cancel(build.code, reason));
          if (cancelled) onDone(cancelled);
        }}
      >
        <p className="hint field-wide">
          Only a build that has consumed nothing can be cancelled; its units are removed.
        </p>
      </ReasonForm>
    </details>
  );
}
