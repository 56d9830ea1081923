import { stageLabel } from '@domain/bom-stage.js';
import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { BomEntry } from '../../api/types.js';
import { Field } from '../../components/Field.js';
import { ReasonForm } from '../../components/ReasonForm.js';
import { formatQuantity } from '../../format.js';

/**
 * The BOM as the build took it. `onChanged` given (an editor, a build in progress), each line
 * can be changed — another part (a substitute), another quantity per unit, or removed — with a
 * reason; the server refuses while a completion of the line's stage counts.
 */
export function BuildBom({
  build,
  entries,
  stages,
  onChanged,
}: {
  build: string;
  entries: BomEntry[];
  /** The build's stages, for their names. */
  stages: { stage: number; name: string }[];
  onChanged?: (message: string) => void;
}) {
  const names = new Map(stages.map((s) => [s.stage, s.name]));
  const [editing, setEditing] = useState<number | null>(null);
  if (entries.length === 0) return <p className="empty">The build's BOM is empty.</p>;
  return (
    <div className="table-scroll">
      <table className="list stack" aria-label="Build BOM">
        <thead>
          <tr>
            <th>Line</th>
            <th>Stage</th>
            <th>Part</th>
            <th className="num">Per unit</th>
            <th>Designators</th>
            {onChanged && <th />}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.position} data-testid={`bom-line-${e.position}`}>
              <td data-label="Line">{e.position}</td>
              <td data-label="Stage">{stageLabel(e.stage, names.get(e.stage))}</td>
              <td data-label="Part">
                <Link to={objectUrl('', e.part.code)}>{e.part.name}</Link>
                {e.dnp && ' (DNP)'}
              </td>
              <td data-label="Per unit" className="num">
                {formatQuantity(e.quantity)} {e.part.unit}
              </td>
              <td data-label="Designators">{e.designators.join(', ')}</td>
              {onChanged && (
                <td>
                  {editing === e.position ? (
                    <ChangeLineForm
                      build={build}
                      entry={e}
                      onClose={() => setEditing(null)}
                      onDone={(message) => {
                        setEditing(null);
                        onChanged(message);
                      }}
                    />
                  ) : (
                    <button type="button" onClick={() => setEditing(e.position)}>
                      Change…
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChangeLineForm({
  build,
  entry,
  onClose,
  onDone,
}: {
  build: string;
  entry: BomEntry;
  onClose(): void;
  onDone(message: string): void;
}) {
  const api = useApi();
  const [part, setPart] = useState(entry.part.code);
  const [quantity, setQuantity] = useState(String(entry.quantity));
  const [remove, setRemove] = useState(false);
  return (
    <ReasonForm
      label={`Change line ${entry.position}`}
      name="bomReason"
      hint="recorded in the build's history"
      action={['Change the line', 'Saving…']}
      onClose={onClose}
      act={async (reason, run) => {
        // Only what differs is sent: the server refuses a change that changes nothing.
        const body = remove
          ? { remove: true, reason }
          : {
              ...(part.trim() !== entry.part.code ? { part: part.trim() } : {}),
              ...(quantity.trim() !== String(entry.quantity) ? { quantity: quantity.trim() } : {}),
              reason,
            };
        const changed = await run(() => api.builds.changeBom(build, entry.position, body));
        if (changed) onDone(`BOM line ${entry.position} ${remove ? 'removed' : 'changed'}.`);
      }}
    >
      <Field label="Part" hint="the line's part, a substitute, or another part's code">
        <input
          name="part"
          list={`substitutes-${entry.position}`}
          value={part}
          disabled={remove}
          onChange={(e) => setPart(e.target.value)}
        />
      </Field>
      <datalist id={`substitutes-${entry.position}`}>
        {[entry.part, ...entry.substitutes].map((s) => (
          <option key={s.code} value={s.code}>
            {s.name}
          </option>
        ))}
      </datalist>
      <Field label="Per unit">
        <input
          name="quantity"
          inputMode="decimal"
          value={quantity}
          disabled={remove}
          onChange={(e) => setQuantity(e.target.value)}
        />
      </Field>
      <label className="field-wide">
        <input
          type="checkbox"
          name="remove"
          checked={remove}
          onChange={(e) => setRemove(e.target.checked)}
        />{' '}
        Remove the line
      </label>
    </ReasonForm>
  );
}
