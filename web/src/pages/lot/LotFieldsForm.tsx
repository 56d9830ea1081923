import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Lot } from '../../api/types.js';
import {
  CustomFieldsEditor,
  fromRows,
  toRows,
  type FieldRow,
} from '../../components/CustomFieldsEditor.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { SubmitActions } from '../../components/SubmitActions.js';
import { TagsField } from '../../components/TagsField.js';
import { useAction } from '../../hooks/useAction.js';
import { useFormFields } from '../../hooks/useFormFields.js';
import { readTags } from '../../read-input.js';
import { LotOriginFields } from './LotOriginFields.js';

/** Editors and admins change a lot's fields here; the server records each change. */
export function LotFieldsForm({ lot, onSaved }: { lot: Lot; onSaved(lot: Lot): void }) {
  const api = useApi();
  const { values: form, bind } = useFormFields({
    name: lot.name,
    description: lot.description,
    comments: lot.comments,
    expiry: lot.expiry ?? '',
    vendorLot: lot.vendorLot,
    dateCode: lot.dateCode,
    orderRef: lot.orderRef,
    tags: lot.tags.join(', '),
  });
  const [rows, setRows] = useState<FieldRow[]>(toRows(lot.customFields));
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() =>
      api.lots.update(lot.code, {
        ...form,
        expiry: form.expiry || null,
        tags: readTags(form.tags),
        customFields: fromRows(rows),
      }),
    );
    if (saved) onSaved(saved);
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Lot fields">
      {action.error !== null && <ErrorMessage error={action.error} />}
      <Field label="Name" hint="your lot number or a customer serial">
        <input maxLength={200} {...bind('name')} />
      </Field>
      <LotOriginFields bind={bind} />
      <TagsField {...bind('tags')} />
      <Field label="Description" wide>
        <textarea rows={2} {...bind('description')} />
      </Field>
      <Field label="Comments" wide>
        <textarea rows={3} {...bind('comments')} />
      </Field>
      <CustomFieldsEditor rows={rows} onChange={setRows} />
      <SubmitActions label="Save fields" busyLabel="Saving…" busy={action.busy} />
    </form>
  );
}
