import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import type { LabelMedia, LabelSymbology, LabelTemplate } from '../../api/types.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Field } from '../Field.js';
import { SymbologyField } from './SymbologyField.js';
import { LineRowsEditor } from './LineRowsEditor.js';
import {
  CONTENT_LABELS,
  erroredLine,
  fromLineRows,
  mediaName,
  rowOfLine,
  toLineRows,
  type LineRow,
} from './label-text.js';
import { SubmitActions } from '../SubmitActions.js';
import { LabelledOptions } from '../LabelledOptions.js';
import { MediaOptions } from './MediaOptions.js';

export type TemplateValues = Pick<
  LabelTemplate,
  'name' | 'media' | 'symbology' | 'content' | 'lines'
>;

const CUSTOM = '(custom)';

/**
 * A label template's name, media, symbol and text lines, for creating one (pre-filled from a
 * preset) or changing one. The server's error marks the control it names.
 */
export function TemplateForm({
  title,
  initial,
  presets,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial: TemplateValues;
  presets: LabelMedia[];
  submitLabel: string;
  onSubmit(values: TemplateValues): Promise<unknown>;
  onCancel(): void;
}) {
  const [name, setName] = useState(initial.name);
  const [media, setMedia] = useState(initial.media);
  const [symbology, setSymbology] = useState<LabelSymbology>(initial.symbology);
  const [content, setContent] = useState(initial.content);
  const [rows, setRows] = useState<LineRow[]>(toLineRows(initial.lines));
  const action = useAction();
  const field = action.error instanceof ApiError ? action.error.field : undefined;
  const invalid = (name: string) => field === name || undefined;
  const lines = fromLineRows(rows);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(() => onSubmit({ name: name.trim(), media, symbology, content, lines }));
  };

  return (
    <form className="card form" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <Field label="Template name" hint="e.g. Unit label 62 mm">
        <input
          name="name"
          required
          maxLength={200}
          aria-invalid={invalid('name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field label="Media">
        <select
          aria-invalid={invalid('media')}
          value={typeof media === 'string' ? media : CUSTOM}
          onChange={(e) => {
            if (e.target.value !== CUSTOM) setMedia(e.target.value);
          }}
        >
          {typeof media !== 'string' && (
            <option value={CUSTOM}>custom {mediaName(media, presets)}</option>
          )}
          <MediaOptions presets={presets} />
        </select>
      </Field>
      <SymbologyField value={symbology} onChange={setSymbology} invalid={invalid('symbology')} />
      <Field
        label="The symbol carries"
        hint={symbology === 'gs1datamatrix' ? 'UDI labels carry GS1 data instead' : undefined}
      >
        <select
          aria-invalid={invalid('content')}
          value={content}
          disabled={symbology === 'gs1datamatrix'}
          onChange={(e) => setContent(e.target.value as keyof typeof CONTENT_LABELS)}
        >
          <LabelledOptions labels={CONTENT_LABELS} />
        </select>
      </Field>
      <LineRowsEditor
        rows={rows}
        invalidRow={rowOfLine(rows, erroredLine(field))}
        onChange={setRows}
      />
      <SubmitActions
        label={submitLabel}
        busyLabel="Saving…"
        busy={action.busy}
        onCancel={onCancel}
      />
    </form>
  );
}
