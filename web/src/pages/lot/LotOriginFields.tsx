import { Field } from '../../components/Field.js';

type OriginKey = 'vendorLot' | 'dateCode' | 'expiry' | 'orderRef';

/**
 * Where a lot came from, as its supplier's label says: vendor lot, date code, expiry and order
 * reference. The same controls receive a lot and edit it, so both read the same.
 */
export function LotOriginFields({
  bind,
}: {
  /** `useFormFields`'s binder of a form that holds these keys. */
  bind(key: OriginKey): {
    name: string;
    value: string;
    onChange(e: { target: { value: string } }): void;
  };
}) {
  return (
    <>
      <Field label="Vendor lot">
        <input maxLength={200} {...bind('vendorLot')} />
      </Field>
      <Field label="Date code">
        <input maxLength={200} {...bind('dateCode')} />
      </Field>
      <Field label="Expiry">
        <input type="date" {...bind('expiry')} />
      </Field>
      <Field label="Order ref">
        <input maxLength={200} {...bind('orderRef')} />
      </Field>
    </>
  );
}
