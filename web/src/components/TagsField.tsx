import { Field } from './Field.js';

/** Tags typed as one line, separated by commas; `readTags` turns the text into the list. */
export function TagsField(input: {
  name: string;
  value: string;
  onChange(e: { target: { value: string } }): void;
}) {
  return (
    <Field label="Tags" hint="separated by commas">
      <input {...input} />
    </Field>
  );
}
