import { stageLabel } from '@domain/bom-stage.js';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { BomEntry, BomEntryCreate, BomStage } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { Picker } from '../../components/Picker.js';
import { useAction } from '../../hooks/useAction.js';

interface BomEntryFormProps {
  /** The line to change; none: a new line at the end. */
  entry?: BomEntry;
  stages: BomStage[];
  save(body: BomEntryCreate): Promise<unknown>;
  onDone(): void;
}

/** Adds a BOM line or changes one: part, quantity, designators, stage, DNP, substitutes, notes. */
export function BomEntryForm({ entry, stages, save, onDone }: BomEntryFormProps) {
  const api = useApi();
  const action = useAction();
  const [part, setPart] = useState(entry?.part.code ?? '');
  const [quantity, setQuantity] = useState(entry ? String(entry.quantity) : '1');
  const [designators, setDesignators] = useState(entry?.designators.join(', ') ?? '');
  const [stage, setStage] = useState(entry?.stage ?? partStages(stages)[0]?.stage ?? 1);
  const [dnp, setDnp] = useState(entry?.dnp ?? false);
  const [substitutes, setSubstitutes] = useState(
    entry?.substitutes.map((s) => s.code).join(', ') ?? '',
  );
  const [comments, setComments] = useState(entry?.comments ?? '');
  const choices = partStages(stages);
  if (!choices.some((s) => s.stage === stage))
    choices.push({ stage, name: '', documentation: false, entries: 0 });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await action.run(() =>
      save({
        part,
        quantity,
        designators,
        stage,
        dnp,
        substitutes: substitutes
          .split(/[\s,;]+/)
          .map((s) => s.trim())
          .filter(Boolean),
        comments,
      }),
    );
    if (saved) onDone();
  };

  const title = entry ? `Change line ${entry.position}` : 'Add a line';
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-label={title}>
      <h3>{title}</h3>
      <Picker
        label="Part"
        plural="parts"
        value={part}
        onChange={setPart}
        initial={entry?.part.code}
        search={(q, signal) => api.parts.list({ q, limit: 50 }, signal)}
        fetchOne={(code, signal) => api.parts.get(code, signal)}
        describe={(p) => [p.name, p.mpn].filter(Boolean).join(' — ') + ` (${p.shortCode})`}
      />
      <Field label="Quantity per unit" hint="0 only for a do-not-populate line">
        <input
          name="quantity"
          inputMode="decimal"
          required
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
        />
      </Field>
      <Field label="Designators" hint="e.g. R1, R2 or R1-R4">
        <input
          name="designators"
          value={designators}
          onChange={(e) => setDesignators(e.target.value)}
        />
      </Field>
      <Field label="Stage">
        <select name="stage" value={stage} onChange={(e) => setStage(Number(e.target.value))}>
          {choices.map((s) => (
            <option key={s.stage} value={s.stage}>
              {stageLabel(s.stage, s.name)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Substitutes"
        hint="full codes of parts usable instead (from their pages), in order of preference"
      >
        <input
          name="substitutes"
          value={substitutes}
          onChange={(e) => setSubstitutes(e.target.value)}
        />
      </Field>
      <Field label="Notes" wide>
        <textarea
          name="comments"
          rows={2}
          maxLength={2000}
          value={comments}
          onChange={(e) => setComments(e.target.value)}
        />
      </Field>
      <label className="check field-wide">
        <input
          type="checkbox"
          name="dnp"
          checked={dnp}
          onChange={(e) => setDnp(e.target.checked)}
        />
        Do not populate (never consumed)
      </label>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy || !part}>
          {action.busy ? 'Saving…' : entry ? 'Save line' : 'Add line'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The stages a line may be on: every stage but documentation ones. */
export function partStages(stages: BomStage[]): BomStage[] {
  return stages.filter((s) => !s.documentation);
}
