import type { Picking } from '../../api/types.js';
import { Field } from '../../components/Field.js';
import { LabelledOptions } from '../../components/LabelledOptions.js';
import { PICKING_LABELS, PICKINGS } from '../../format-builds.js';

/**
 * Which lots are taken where none are chosen by hand (FIFO, LIFO, …). With `inherited` (a
 * stage completion), the first choice is empty: the completion keeps the build's picking.
 */
export function PickingField<T extends Picking | ''>({
  hint,
  value,
  onChange,
  inherited,
}: {
  hint: string;
  value: T;
  onChange(picking: NoInfer<T>): void;
  inherited?: Picking;
}) {
  return (
    <Field label="Picking" hint={hint}>
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {inherited && <option value="">As the build: {PICKING_LABELS[inherited]}</option>}
        <LabelledOptions values={PICKINGS} labels={PICKING_LABELS} />
      </select>
    </Field>
  );
}
