import type { LabelSymbology } from '../../api/types.js';
import { Field } from '../Field.js';
import { SYMBOLOGY_LABELS } from './label-text.js';
import { LabelledOptions } from '../LabelledOptions.js';

/** The symbol a label carries: QR, DataMatrix, Code 128 or GS1 DataMatrix. */
export function SymbologyField({
  value,
  onChange,
  invalid,
}: {
  value: LabelSymbology;
  onChange(symbology: LabelSymbology): void;
  invalid?: boolean;
}) {
  return (
    <Field label="Symbol">
      <select
        aria-invalid={invalid}
        value={value}
        onChange={(e) => onChange(e.target.value as LabelSymbology)}
      >
        <LabelledOptions labels={SYMBOLOGY_LABELS} />
      </select>
    </Field>
  );
}
