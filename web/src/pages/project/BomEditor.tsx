import { stageLabel } from '@domain/bom-stage.js';
import { useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Bom, BomEntry } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useAction } from '../../hooks/useAction.js';
import { plural } from '../../format.js';
import { BomEntryForm, partStages } from './BomEntryForm.js';
import { BomTable } from './BomTable.js';

/**
 * The BOM with its editing: change, move, delete a line; add one; select lines and put them
 * on one stage. Each change is one request; the server answers the BOM as it is afterwards.
 */
export function BomEditor({ bom, onChanged }: { bom: Bom; onChanged(): void }) {
  const api = useApi();
  const action = useAction();
  const code = bom.project.code;
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const choices = partStages(bom.stages);
  const [stage, setStage] = useState(choices[0]?.stage ?? 1);

  const change = async (request: () => Promise<Bom>) => {
    const saved = await action.run(request);
    if (saved) {
      setSelected(new Set());
      onChanged();
    }
  };
  const select = (position: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(position);
    else next.delete(position);
    setSelected(next);
  };
  const count = bom.entries.length;
  const entry = typeof editing === 'number' ? bom.entries[editing - 1] : undefined;

  const actions = (e: BomEntry) => (
    <>
      <button
        type="button"
        className="link-button"
        aria-label={`Change line ${e.position}`}
        onClick={() => setEditing(e.position)}
      >
        Change
      </button>
      <button
        type="button"
        className="link-button"
        aria-label={`Move line ${e.position} up`}
        disabled={action.busy || e.position === 1}
        onClick={() =>
          void change(() =>
            api.projects.changeEntry(code, e.position, { position: e.position - 1 }),
          )
        }
      >
        ↑
      </button>
      <button
        type="button"
        className="link-button"
        aria-label={`Move line ${e.position} down`}
        disabled={action.busy || e.position === count}
        onClick={() =>
          void change(() =>
            api.projects.changeEntry(code, e.position, { position: e.position + 1 }),
          )
        }
      >
        ↓
      </button>
      <button
        type="button"
        className="link-button"
        aria-label={`Delete line ${e.position}`}
        disabled={action.busy}
        onClick={() => {
          if (window.confirm(`Delete line ${e.position} (${e.part.name}) from the BOM?`))
            void change(() => api.projects.removeEntry(code, e.position));
        }}
      >
        Delete
      </button>
    </>
  );

  return (
    <div className="bom-editor">
      {count > 0 && (
        <BomTable
          entries={bom.entries}
          stages={bom.stages}
          selected={selected}
          onSelect={select}
          actions={actions}
        />
      )}
      {selected.size > 0 && (
        <form
          className="inline-form"
          aria-label="Set the stage of the selected lines"
          onSubmit={(e) => {
            e.preventDefault();
            void change(() => api.projects.assignStage(code, { positions: [...selected], stage }));
          }}
        >
          <span>{plural(selected.size, 'line', 'lines')} selected:</span>
          <select
            aria-label="Stage for the selected lines"
            value={stage}
            onChange={(e) => setStage(Number(e.target.value))}
          >
            {(choices.length > 0 ? choices : [{ stage: 1, name: '' }]).map((s) => (
              <option key={s.stage} value={s.stage}>
                {stageLabel(s.stage, s.name)}
              </option>
            ))}
          </select>
          <button type="submit" className="primary" disabled={action.busy}>
            Set stage
          </button>
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </form>
      )}
      {action.error !== null && <ErrorMessage error={action.error} />}
      {editing === null ? (
        <div className="actions">
          <button type="button" onClick={() => setEditing('new')}>
            Add a line
          </button>
        </div>
      ) : (
        <BomEntryForm
          key={editing}
          entry={entry}
          stages={bom.stages}
          save={(body) =>
            entry
              ? api.projects.changeEntry(code, entry.position, body)
              : api.projects.addEntry(code, body)
          }
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
    </div>
  );
}
