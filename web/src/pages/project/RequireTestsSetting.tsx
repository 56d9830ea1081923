import { useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Project } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useAction } from '../../hooks/useAction.js';

/**
 * The project setting: units become available (a build finishes, a repaired unit is released)
 * only when every required test passed — or by an explicit, recorded override.
 */
export function RequireTestsSetting({ project }: { project: Project }) {
  const api = useApi();
  const { canWrite } = useSession();
  const [on, setOn] = useState(project.requireTestsPassed);
  const action = useAction();
  const change = async (next: boolean) => {
    const saved = await action.run(() => api.tests.requirePassed(project.code, next));
    if (saved) setOn(saved.requireTestsPassed);
  };
  return (
    <section className="section" aria-labelledby="project-tests-heading">
      <h2 id="project-tests-heading">Tests</h2>
      <label className="check">
        <input
          type="checkbox"
          name="requireTestsPassed"
          checked={on}
          disabled={!canWrite || action.busy}
          onChange={(e) => void change(e.target.checked)}
        />
        Units become available only when every required test passed
      </label>
      <p className="hint">
        Finishing a build with a unit that failed or missed a required test then needs an explicit
        override with a note, which is recorded.
      </p>
      {action.error !== null && <ErrorMessage error={action.error} />}
    </section>
  );
}
