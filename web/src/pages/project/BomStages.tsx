import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { BomStage } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { plural } from '../../format.js';

interface BomStagesProps {
  projectCode: string;
  stages: BomStage[];
  canWrite: boolean;
  onChanged(): void;
}

/** A project's stages, in build order: names, what each places; add and rename (editors). */
export function BomStages({ projectCode, stages, canWrite, onChanged }: BomStagesProps) {
  const api = useApi();
  const action = useAction();
  const [name, setName] = useState('');
  const [documentation, setDocumentation] = useState(false);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [newName, setNewName] = useState('');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await action.run(() =>
      api.projects.addStage(projectCode, { name, documentation }),
    );
    if (saved) {
      setName('');
      setDocumentation(false);
      onChanged();
    }
  };
  const rename = async (e: FormEvent, stage: number) => {
    e.preventDefault();
    const saved = await action.run(() =>
      api.projects.changeStage(projectCode, stage, { name: newName }),
    );
    if (saved) {
      setRenaming(null);
      onChanged();
    }
  };

  return (
    <div className="bom-stages">
      <h3>Stages</h3>
      {stages.length === 0 ? (
        <p className="empty">
          No stages yet: every line is on stage 1 until you name stages
          {canWrite ? ' — add one below' : ''}.
        </p>
      ) : (
        <ol className="plain" aria-label="Stages">
          {stages.map((s) => (
            <li key={s.stage} data-testid={`stage-${s.stage}`}>
              {renaming === s.stage ? (
                <form
                  className="inline-form"
                  onSubmit={(e) => void rename(e, s.stage)}
                  aria-label={`Rename stage ${s.stage}`}
                >
                  <input
                    aria-label={`New name of stage ${s.stage}`}
                    required
                    maxLength={100}
                    value={newName}
                    onChange={(e) => setNewName(e.target.value)}
                  />
                  <button type="submit" className="primary" disabled={action.busy}>
                    Save
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <strong>{s.stage}</strong> {s.name || <span className="muted">unnamed</span>}
                  <span className="muted">
                    {' '}
                    ·{' '}
                    {s.documentation
                      ? 'documentation only, places no parts'
                      : plural(s.entries, 'line', 'lines')}
                  </span>
                  {canWrite && (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`${s.name ? 'Rename' : 'Name'} stage ${s.stage}`}
                      onClick={() => {
                        setRenaming(s.stage);
                        setNewName(s.name);
                      }}
                    >
                      {s.name ? 'Rename' : 'Name'}
                    </button>
                  )}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form className="form" onSubmit={(e) => void add(e)} aria-label="Add a stage">
          <Field label="New stage" hint='e.g. "SMT", "Hand solder", "Test"'>
            <input
              name="stageName"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <label className="check">
            <input
              type="checkbox"
              name="documentation"
              checked={documentation}
              onChange={(e) => setDocumentation(e.target.checked)}
            />
            Documentation only (places no parts: a test, a label, paperwork)
          </label>
          <div className="actions">
            <button type="submit" disabled={action.busy || !name.trim()}>
              Add stage
            </button>
          </div>
        </form>
      )}
      {action.error !== null && <ErrorMessage error={action.error} />}
    </div>
  );
}
