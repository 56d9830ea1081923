import { objectUrl } from '@domain/object-url.js';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { UNIT_STATE_LABELS } from '../format-builds.js';
import { useApi } from '../api/ApiContext.js';
import type { UnitStatus } from '../api/types.js';
import { ErrorMessage, errorText } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import type { FieldLabels } from '../components/field-labels.js';
import { plural } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useFormFields } from '../hooks/useFormFields.js';
import { ScannedUnits } from './shipment/ScannedUnits.js';
import { SubmitActions } from '../components/SubmitActions.js';
import { SCANNER_INPUT } from '../components/scan/scanner-input.js';

/** The request's fields as the form labels them. */
const SHIPMENT_LABELS: FieldLabels = {
  customer: 'Customer',
  reference: 'Reference',
  date: 'Date',
  note: 'Note',
  units: 'Units',
};

/** A scanned code that cannot go into the shipment; its message is the reason, as shown. */
class Refused extends Error {}

/** Router state of /shipments/new opened with units already chosen (the scan page's list). */
export interface ShipUnitsState {
  units: string[];
}

/**
 * Ship units: scan (or type) their codes one after another — Enter adds each to the list with
 * its label and state, and refuses one that cannot be shipped, saying why — then say to whom.
 * Units passed in router state start the list, under the same checks.
 */
export function NewShipmentPage() {
  const api = useApi();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [scan, setScan] = useState('');
  const [looking, setLooking] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [units, setUnits] = useState<UnitStatus[]>([]);
  const { values: recipient, bind } = useFormFields(() => ({
    customer: '',
    reference: '',
    date: new Date().toISOString().slice(0, 10),
    note: '',
  }));
  const action = useAction();
  const passed = (useLocation().state as Partial<ShipUnitsState> | null)?.units;

  useEffect(() => {
    if (!passed?.length) return;
    const controller = new AbortController();
    api.units.statuses(passed, controller.signal).then(
      ({ units: found, notUnits }) => {
        if (controller.signal.aborted) return;
        const refused = notUnits.map((n) => `${n.code.slice(0, 8)}: ${n.reason}`);
        const taken: UnitStatus[] = [];
        for (const unit of found) {
          const why = shipRefusal(unit);
          if (why) refused.push(why);
          else taken.push(unit);
        }
        setUnits(taken);
        if (refused.length > 0)
          setRefusal(`Left out — only available units can be shipped: ${refused.join('; ')}`);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setRefusal(errorText(error));
      },
    );
    return () => controller.abort();
    // Only the units passed when the page opened.
  }, []);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const text = scan.trim();
    if (!text || looking) return;
    setLooking(true);
    setRefusal(null);
    try {
      const found = await api.resolve(text);
      if (found.kind !== 'lot') throw new Refused(`${text} is a ${found.kind}, not a unit`);
      const unit = await api.units.status(found.code);
      const name = unit.label ?? unit.shortCode;
      if (units.some((u) => u.code === unit.code))
        throw new Refused(`${name} is in the list already`);
      const why = shipRefusal(unit);
      if (why) throw new Refused(`${why}: only available units can be shipped`);
      setUnits((list) => [...list, unit]);
      setScan('');
    } catch (error) {
      setRefusal(error instanceof Refused ? error.message : errorText(error));
      // The next scan replaces the text instead of being appended to it.
      input.current?.select();
    } finally {
      setLooking(false);
      input.current?.focus();
    }
  };

  // A refused unit is named as the list shows it: "Unit AB12CD34-3 is held", not `units.2`.
  const labels: FieldLabels = {
    ...SHIPMENT_LABELS,
    ...Object.fromEntries(units.map((u, i) => [`units.${i}`, `Unit ${u.label ?? u.shortCode}`])),
  };

  const ship = async (event: FormEvent) => {
    event.preventDefault();
    const shipment = await action.run(() =>
      api.shipments.create({ ...recipient, units: units.map((u) => u.code) }),
    );
    if (shipment) navigate(objectUrl('', shipment.code));
  };

  return (
    <>
      <h1>Ship units</h1>
      <form className="card form" onSubmit={add} aria-label="Add units">
        <Field label="Unit code" hint="scan a label or type a code, then Enter" wide>
          <input
            ref={input}
            name="unit"
            {...SCANNER_INPUT}
            value={scan}
            onChange={(e) => setScan(e.target.value)}
          />
        </Field>
        <div className="actions">
          <button type="submit" disabled={looking}>
            {looking ? 'Looking up…' : 'Add'}
          </button>
        </div>
        {refusal && (
          <p className="error field-wide" role="alert">
            {refusal}
          </p>
        )}
      </form>
      <section className="section">
        <h2>{units.length === 0 ? 'Units' : plural(units.length, 'unit')}</h2>
        <ScannedUnits
          units={units}
          onRemove={(code) => setUnits((list) => list.filter((u) => u.code !== code))}
        />
      </section>
      <form className="card form" onSubmit={ship} aria-label="Shipment">
        <Field label="Customer">
          <input required maxLength={200} {...bind('customer')} />
        </Field>
        <Field label="Reference" hint="the customer's order number, or another reference">
          <input required maxLength={200} {...bind('reference')} />
        </Field>
        <Field label="Date">
          <input type="date" required {...bind('date')} />
        </Field>
        <Field label="Note">
          <input maxLength={10000} {...bind('note')} />
        </Field>
        {action.error !== null && <ErrorMessage error={action.error} labels={labels} />}
        <SubmitActions
          label={`Ship ${plural(units.length, 'unit')}`}
          busyLabel="Shipping…"
          busy={action.busy}
          disabled={units.length === 0}
        />
      </form>
    </>
  );
}

/** Why a unit cannot be shipped (`AB12CD34-3 is scrapped`); undefined when it can. */
function shipRefusal(unit: UnitStatus): string | undefined {
  if (unit.allowed.includes('ship')) return undefined;
  return `${unit.label ?? unit.shortCode} is ${UNIT_STATE_LABELS[unit.state].toLowerCase()}`;
}
