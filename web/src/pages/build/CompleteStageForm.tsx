import { stageLabel } from '@domain/bom-stage.js';
import { useState, type FormEvent } from 'react';
import { rangeSize } from '@domain/serial-ranges.js';
import { parseSerialRanges } from '@domain/unit-refs.js';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import type { BomEntry, Build, CompletionResult, Picking } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import {
  LOT_CHOICE_LABELS,
  LotChoices,
  toLotChoices,
  type ChoiceRow,
} from '../../components/LotChoices.js';
import type { FieldLabels } from '../../components/field-labels.js';
import { NoteField } from '../../components/NoteField.js';
import { ShortageTable } from '../../components/ShortageTable.js';
import { useAction } from '../../hooks/useAction.js';
import { readInput } from '../../read-input.js';
import { PickingField } from './PickingField.js';

/** Which units a completion covers: every unit still missing the stage, or the ones named. */
export interface UnitSelection {
  mode: 'all' | 'chosen';
  /** Build serials as typed or ticked: `1-60, 75`. */
  text: string;
}

/** The request's fields as the form labels them. */
const STAGE_LABELS: FieldLabels = {
  units: 'Units to complete',
  'units.*': 'Unit {n} to complete',
  picking: 'Picking',
  note: 'Note',
  ...LOT_CHOICE_LABELS,
};

interface CompleteStageFormProps {
  build: Build;
  /** The project's BOM: the entries of a stage lots can be chosen for. */
  entries: BomEntry[];
  selection: UnitSelection;
  onSelection(selection: UnitSelection): void;
  onDone(result: CompletionResult): void;
  /** Lots taken from a pick list: the form starts on their stage with them chosen. */
  picked?: { stage: number; rows: ChoiceRow[] } | undefined;
}

/**
 * Completes a stage for all remaining units or for chosen ones, consuming the stage's entries
 * from lots chosen by hand or picked. A short answer lists what each entry misses.
 */
export function CompleteStageForm(props: CompleteStageFormProps) {
  const { build, entries, selection, onSelection, onDone, picked } = props;
  const api = useApi();
  const open = build.stages.filter((s) => s.completedUnits < build.units.total);
  const [stage, setStage] = useState(
    picked?.stage ?? open[0]?.stage ?? build.stages[0]?.stage ?? 1,
  );
  const [choices, setChoices] = useState<ChoiceRow[]>(picked?.rows ?? []);
  const [picking, setPicking] = useState<Picking | ''>('');
  const [note, setNote] = useState('');
  const action = useAction();

  const stageEntries = entries.filter((e) => e.stage === stage && !e.dnp);
  const parsed =
    selection.mode === 'chosen'
      ? readInput(() => parseSerialRanges(selection.text, build.quantity))
      : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (parsed?.error !== undefined) return;
    if (parsed && parsed.value.length === 0) return;
    const result = await action.run(() =>
      api.builds.completeStage(build.code, stage, {
        ...(parsed ? { units: parsed.value } : {}),
        lots: toLotChoices(choices),
        ...(picking ? { picking } : {}),
        note,
      }),
    );
    if (!result) return;
    setChoices([]);
    setNote('');
    onDone(result);
  };

  const shortages = action.error instanceof ApiError ? action.error.shortages : [];
  return (
    <form className="card form" onSubmit={submit} aria-label="Complete a stage">
      <h3>Complete a stage</h3>
      <Field label="Stage">
        <select
          value={stage}
          onChange={(e) => {
            setStage(Number(e.target.value));
            setChoices([]);
          }}
        >
          {build.stages.map((s) => (
            <option key={s.stage} value={s.stage}>
              {stageLabel(s.stage, s.name)} ({s.completedUnits} of {build.units.total} done)
              {s.placesParts ? '' : ' — documentation only'}
            </option>
          ))}
        </select>
      </Field>
      {build.serialized && (
        <div className="segmented field-wide" role="radiogroup" aria-label="Units">
          {(['all', 'chosen'] as const).map((mode) => (
            <label key={mode} className={selection.mode === mode ? 'active' : ''}>
              <input
                type="radio"
                name="units"
                checked={selection.mode === mode}
                onChange={() => onSelection({ ...selection, mode })}
              />
              {mode === 'all' ? 'All remaining units' : 'Chosen units'}
            </label>
          ))}
        </div>
      )}
      {selection.mode === 'chosen' && build.serialized && (
        <Field
          label="Units to complete"
          hint={
            parsed?.error ??
            `build serials 1–${build.quantity}, e.g. 1-60, 75 — or tick units in the table below`
          }
          wide
        >
          <input
            name="serials"
            required
            aria-invalid={parsed?.error !== undefined}
            value={selection.text}
            onChange={(e) => onSelection({ mode: 'chosen', text: e.target.value })}
          />
        </Field>
      )}
      {stageEntries.length > 0 ? (
        <LotChoices entries={stageEntries} rows={choices} onChange={setChoices} />
      ) : (
        <p className="hint field-wide">This stage places no parts: completing it records it.</p>
      )}
      <PickingField
        hint="for entries without a chosen lot"
        value={picking}
        onChange={setPicking}
        inherited={build.picking}
      />
      <NoteField
        hint="kept with the completion, shown in the timeline below"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {action.error !== null && <ErrorMessage error={action.error} labels={STAGE_LABELS} />}
      {shortages.length > 0 && (
        <div className="field-wide">
          <ShortageTable shortages={shortages} />
        </div>
      )}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={action.busy || parsed?.error !== undefined}
        >
          {action.busy
            ? 'Completing…'
            : parsed
              ? `Complete stage ${stage} for ${rangeSize(parsed.value ?? [])} units`
              : `Complete stage ${stage}`}
        </button>
      </div>
    </form>
  );
}
