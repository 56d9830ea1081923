import type { ReactNode } from 'react';
import type { Lot } from '../../api/types.js';
import { attributeFields, FieldList } from '../../components/FieldList.js';

/** The editable fields of a lot, in the order of the form. */
export function lotFieldRows(lot: Lot): [string, ReactNode][] {
  return [
    ['Name', lot.name],
    ['Description', lot.description],
    ['Comments', lot.comments],
    ['Expiry', lot.expiry ?? ''],
    ['Vendor lot', lot.vendorLot],
    ['Date code', lot.dateCode],
    ['Order ref', lot.orderRef],
    ...attributeFields(lot.tags, lot.customFields),
  ];
}

/** What viewers see: the fields, read-only. */
export function LotFieldsView({ lot }: { lot: Lot }) {
  return (
    <div data-testid="lot-fields-readonly">
      <FieldList fields={lotFieldRows(lot)} />
    </div>
  );
}
