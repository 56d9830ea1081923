import { objectUrl } from '@domain/object-url.js';
import { useState, type FormEvent } from 'react';
import { LabelledOptions } from '../components/LabelledOptions.js';
import { NoteField } from '../components/NoteField.js';
import { SubmitActions } from '../components/SubmitActions.js';
import { useAction } from '../hooks/useAction.js';
import { useFormFields } from '../hooks/useFormFields.js';
import { LotOriginFields } from './lot/LotOriginFields.js';
import { LocationPicker } from '../components/LocationPicker.js';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { ScanReceipt, StockStatus } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import type { FieldLabels } from '../components/field-labels.js';
import { Field } from '../components/Field.js';
import { Picker } from '../components/Picker.js';
import type { ReceiveState } from '../components/scan/scan-outcome.js';
import { ReceiveManyPage } from './receive/ReceiveManyPage.js';
import { STATUS_LABELS, STOCK_STATUSES } from '../format.js';

const EMPTY = {
  quantity: '',
  status: 'on_hand' as StockStatus,
  name: '',
  vendorLot: '',
  dateCode: '',
  expiry: '',
  orderRef: '',
  country: '',
  note: '',
};

/** The lot custom field a distributor label's country of origin goes to. */
const COUNTRY_FIELD = 'Country of origin';

function fromReceipt(receipt: ScanReceipt | undefined): typeof EMPTY {
  if (!receipt) return EMPTY;
  return {
    ...EMPTY,
    quantity: receipt.quantity ?? '',
    vendorLot: receipt.vendorLot ?? '',
    dateCode: receipt.dateCode ?? '',
    orderRef: receipt.orderReference ?? '',
    country: receipt.countryOfOrigin ?? '',
  };
}

/**
 * Receive stock: one new lot of a part at a location. Opens the new lot's page. Opened from a
 * scanned distributor label (router state), the form starts with what the label says.
 */
export function ReceivePage() {
  const location = useLocation();
  const [params] = useSearchParams();
  if (params.get('mode') === 'many') return <ReceiveManyPage />;
  const state = location.state as Partial<ReceiveState> | null;
  const scanned = state?.receipt ? (state as ReceiveState) : undefined;
  // A new scan while on this page starts a new form.
  return <ReceiveForm key={location.key} scanned={scanned} />;
}

/** The request's fields as this form labels them (one item: the form receives one lot). */
const RECEIVE_LABELS: FieldLabels = {
  'items.*.part': 'Part',
  'items.*.location': 'Location',
  'items.*.quantity': 'Quantity',
  'items.*.status': 'Status',
  'items.*.note': 'Note',
  'items.*.lot.name': 'Lot name',
  'items.*.lot.vendorLot': 'Vendor lot',
  'items.*.lot.dateCode': 'Date code',
  'items.*.lot.expiry': 'Expiry',
  'items.*.lot.orderRef': 'Order ref',
  'items.*.lot.customFields': COUNTRY_FIELD,
};

function ReceiveForm({ scanned }: { scanned: ReceiveState | undefined }) {
  const api = useApi();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const receipt = scanned?.receipt;
  const [part, setPart] = useState('');
  const [location, setLocation] = useState('');
  const { values: form, bind } = useFormFields(() => fromReceipt(receipt));
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { quantity, status, note, expiry, country, ...lot } = form;
    const result = await action.run(() =>
      api.stock.receive([
        {
          part,
          location,
          quantity: quantity.trim().replace(',', '.'),
          status,
          note,
          lot: {
            ...lot,
            ...(expiry ? { expiry } : {}),
            ...(country.trim() ? { customFields: { [COUNTRY_FIELD]: country.trim() } } : {}),
          },
        },
      ]),
    );
    if (result) navigate(objectUrl('', result.lots[0]!.code));
  };

  return (
    <>
      <h1>Receive stock</h1>
      <p>
        Many bags or a delivery file? <Link to="/receive?mode=many">Receive many lots</Link>.
      </p>
      {scanned && <ScannedLabel scanned={scanned} />}
      <form className="card form" onSubmit={submit}>
        {action.error !== null && <ErrorMessage error={action.error} labels={RECEIVE_LABELS} />}
        <Picker
          label="Part"
          plural="parts"
          value={part}
          onChange={setPart}
          initial={params.get('part') ?? receipt?.part?.code}
          search={(q, signal) => api.parts.list({ q, limit: 50 }, signal)}
          fetchOne={(code, signal) => api.parts.get(code, signal)}
          describe={(p) => [p.name, p.mpn].filter(Boolean).join(' — ') + ` (${p.shortCode})`}
        />
        <LocationPicker value={location} onChange={setLocation} initial={params.get('location')} />
        <Field label="Quantity">
          <input inputMode="decimal" required {...bind('quantity')} />
        </Field>
        <Field label="Status">
          <select {...bind('status')}>
            <LabelledOptions values={STOCK_STATUSES} labels={STATUS_LABELS} />
          </select>
        </Field>
        <Field label="Lot name" hint="optional: your lot number or a customer serial">
          <input maxLength={200} {...bind('name')} name="lotName" />
        </Field>
        <LotOriginFields bind={bind} />
        {scanned && (
          <Field label={COUNTRY_FIELD} hint="kept as a custom field of the lot">
            <input maxLength={200} {...bind('country')} />
          </Field>
        )}
        <NoteField hint="recorded in the history" {...bind('note')} />
        <SubmitActions label="Receive" busyLabel="Receiving…" busy={action.busy} />
      </form>
    </>
  );
}

/** What the scanned label said, and which part it named — or that no part matched. */
function ScannedLabel({ scanned }: { scanned: ReceiveState }) {
  const { part, mpn, supplierPartNumber, manufacturer, supplier } = scanned.receipt;
  const named = [
    mpn && `MPN ${mpn}`,
    supplierPartNumber && `supplier SKU ${supplierPartNumber}`,
  ].filter(Boolean);
  return (
    <div className="card scanned-label" data-testid="scanned-label">
      <p>
        From a scanned {supplier ? `${supplier} ` : ''}label
        {manufacturer ? ` (${manufacturer})` : ''}:{' '}
        <code className="scanned-text">{scanned.scanned}</code>
      </p>
      {scanned.warnings && scanned.warnings.length > 0 && (
        <ul className="hint scan-warnings" aria-label="Check these">
          {scanned.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {part ? (
        <p>
          Part: <Link to={objectUrl('', part.code)}>{part.name}</Link>
        </p>
      ) : (
        <p className="error" role="alert">
          <span>
            No part with {named.length > 0 ? named.join(' or ') : 'the label’s numbers'}: choose the
            part below, or{' '}
            <Link to="/parts/new" target="_blank">
              create it
            </Link>{' '}
            (in a new tab) and then search for it.
          </span>
        </p>
      )}
    </div>
  );
}
