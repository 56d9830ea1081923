import { objectUrl } from '@domain/object-url.js';
import { useState, type FormEvent } from 'react';
import { LocationPicker } from '../components/LocationPicker.js';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { BomStage, BuildPlan, Picking, Project } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import type { FieldLabels } from '../components/field-labels.js';
import { Field } from '../components/Field.js';
import {
  LOT_CHOICE_LABELS,
  LotChoices,
  toLotChoices,
  type ChoiceRow,
} from '../components/LotChoices.js';
import { Picker } from '../components/Picker.js';
import { ShortageTable } from '../components/ShortageTable.js';
import { plural } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';
import { readTags } from '../read-input.js';
import { PickingField } from './build/PickingField.js';
import { PlanTable } from './build/PlanTable.js';
import { SerialFormatSelect } from './serials/SerialFormatSelect.js';
import { StageList } from './build/StageList.js';

/** The request's fields as the form labels them. */
const BUILD_LABELS: FieldLabels = {
  project: 'Project',
  quantity: 'Quantity',
  location: 'Location',
  serialFormat: 'Serial format',
  picking: 'Picking',
  excludeTags: 'Excluded tags',
  ...LOT_CHOICE_LABELS,
};

/**
 * The build wizard: what to build and how many, where the units go, how lots are picked;
 * "Check stock" shows what would be used and what is short before anything changes.
 */
export function NewBuildPage() {
  const api = useApi();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [project, setProject] = useState('');
  const [location, setLocation] = useState('');
  const [quantity, setQuantity] = useState('');
  const [serialized, setSerialized] = useState(true);
  const [serialFormat, setSerialFormat] = useState('');
  const [picking, setPicking] = useState<Picking>('fifo');
  const [excludeTags, setExcludeTags] = useState('');
  const [choices, setChoices] = useState<ChoiceRow[]>([]);
  const [plan, setPlan] = useState<{ plan: BuildPlan; key: string } | null>(null);
  const action = useAction();
  const bom = useLoad(
    (signal) => (project ? api.projects.bom(project, signal) : Promise.resolve(null)),
    [project],
  );

  const sourcing = {
    project,
    quantity: Number(quantity),
    picking,
    excludeTags: readTags(excludeTags),
    lots: toLotChoices(choices),
  };
  const key = JSON.stringify(sourcing);
  const currentPlan = plan?.key === key ? plan.plan : null;
  const entries = (bom.data?.entries ?? []).filter((e) => !e.dnp);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const how = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.name;
    if (how === 'plan') {
      const answer = await action.run(() => api.builds.plan(sourcing));
      setPlan(answer ? { plan: answer, key } : null);
      return;
    }
    const run = how === 'run';
    const build = await action.run(() =>
      api.builds.create({
        ...sourcing,
        // Lots chosen here serve a build run at once; stages of a started build choose their own.
        lots: run ? sourcing.lots : [],
        serialized,
        ...(serialized && serialFormat ? { serialFormat } : {}),
        location,
        run,
      }),
    );
    if (build) navigate(objectUrl('', build.code));
  };

  return (
    <>
      <h1>New build</h1>
      <form className="card form" onSubmit={submit} aria-label="New build">
        <Picker<Project>
          label="Project"
          plural="projects"
          value={project}
          onChange={setProject}
          initial={params.get('project')}
          search={(q, signal) => api.projects.list({ q, limit: 50 }, signal)}
          fetchOne={(code, signal) => api.projects.get(code, signal)}
          describe={(p) =>
            `${p.name} (${p.shortCode}) · ${plural(p.bomEntries, 'entry', 'entries')}`
          }
        />
        {bom.data && (
          <div className="field-wide">
            {bom.data.entries.length === 0 ? (
              <p className="error" role="alert">
                This project has no BOM yet:{' '}
                <Link to={objectUrl('', project)}>import one on the project page</Link>.
              </p>
            ) : (
              <StageList entries={bom.data.entries} named={bom.data.stages} />
            )}
          </div>
        )}
        <Field label="Quantity" hint="units to build">
          <input
            name="quantity"
            type="number"
            min={1}
            max={100000}
            required
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </Field>
        <LocationPicker value={location} onChange={setLocation} />
        <label className="check field-wide">
          <input
            type="checkbox"
            name="serialized"
            checked={serialized}
            onChange={(e) => setSerialized(e.target.checked)}
          />
          Track each unit separately: every unit is its own lot with its own code (serial number)
        </label>
        {serialized && <SerialFormatSelect value={serialFormat} onChange={setSerialFormat} />}
        <PickingField
          hint="which lots are used when none are chosen by hand"
          value={picking}
          onChange={setPicking}
        />
        <Field label="Excluded tags" hint="lots with these tags are never picked automatically">
          <input
            name="excludeTags"
            value={excludeTags}
            onChange={(e) => setExcludeTags(e.target.value)}
          />
        </Field>
        {entries.length > 0 && (
          <LotChoices entries={entries} rows={choices} onChange={setChoices} />
        )}
        {action.error !== null && <ErrorMessage error={action.error} labels={BUILD_LABELS} />}
        <div className="actions">
          <button type="submit" name="plan" formNoValidate disabled={action.busy || !project}>
            Check stock
          </button>
          <button type="submit" name="start" className="primary" disabled={action.busy}>
            Start
          </button>
          <button type="submit" name="run" disabled={action.busy}>
            Build now
          </button>
        </div>
        <p className="hint field-wide">
          <strong>Start</strong> makes the units at once, in production, so labels can be printed;
          stages are completed on the build page with the lots chosen there.{' '}
          <strong>Build now</strong> completes every stage and finishes in one step, using the lots
          chosen above.
        </p>
        {currentPlan && <PlanAnswer plan={currentPlan} stages={bom.data?.stages ?? []} />}
        {plan && !currentPlan && (
          <p className="hint field-wide">The build changed: check stock again.</p>
        )}
      </form>
    </>
  );
}

function PlanAnswer({ plan, stages }: { plan: BuildPlan; stages: BomStage[] }) {
  return (
    <section className="field-wide" aria-label="Stock check result">
      {plan.ok ? (
        <p className="success" role="status">
          Everything is in stock for {plural(plan.quantity, 'unit')}.
        </p>
      ) : (
        <>
          <p className="error" role="alert">
            Short of stock for {plural(plan.shortages.length, 'entry', 'entries')}: a build run now
            would change nothing.
          </p>
          <ShortageTable shortages={plan.shortages} />
        </>
      )}
      <PlanTable plan={plan} stages={stages} />
    </section>
  );
}
