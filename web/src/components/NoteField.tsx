import type { ChangeEvent } from 'react';
import { Field } from './Field.js';

/** The note an operation keeps (history, timeline): one line, as long as the server accepts. */
export function NoteField({
  hint,
  value,
  onChange,
}: {
  /** Where the note ends up, e.g. "recorded in the history". */
  hint: string;
  value: string;
  onChange(event: ChangeEvent<HTMLInputElement>): void;
}) {
  return (
    <Field label="Note" hint={hint}>
      <input name="note" maxLength={1000} value={value} onChange={onChange} />
    </Field>
  );
}
