import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { PickList } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { Loading } from '../../components/Loading.js';
import { LotChoices, toLotChoices, type ChoiceRow } from '../../components/LotChoices.js';
import { ShortageTable } from '../../components/ShortageTable.js';
import { plural } from '../../format.js';
import { useLoad } from '../../hooks/useLoad.js';
import { PickListLocation } from './PickListLocation.js';
import { usePickTicks } from './usePickTicks.js';

/** What the build page's stage form starts with when it is opened from a pick list. */
export interface PickedLotsState {
  pickedLots: { stage: number; rows: ChoiceRow[] };
}

/**
 * `/builds/<code>/pick`: the lots to take for a stage (or every stage), by location, on a phone
 * at the shelves. Lines are ticked off as they are taken (kept in this browser per build and
 * stage); "Use these lots" opens the stage completion with exactly the lots listed chosen.
 */
export function PickListPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const navigate = useNavigate();
  const ref = useParams().code ?? '';
  const [stage, setStage] = useState<number | undefined>(undefined);
  const [choices, setChoices] = useState<ChoiceRow[]>([]);
  const lots = toLotChoices(choices)
    .map((c) => `${c.entry}=${c.lot}${c.quantity === undefined ? '' : `:${c.quantity}`}`)
    .join(',');
  const query = { ...(stage === undefined ? {} : { stage }), ...(lots ? { lots } : {}) };
  const build = useLoad((signal) => api.builds.get(ref, signal), [ref]);
  const bom = useLoad((signal) => api.builds.bom(ref, signal), [ref]);
  const list = useLoad((signal) => api.builds.pickList(ref, query, signal), [ref, stage, lots]);
  const ticks = usePickTicks(ref, stage);

  if (build.error !== undefined) return <ErrorMessage error={build.error} retry={build.reload} />;
  if (!build.data) return <Loading what="the build" />;
  const b = build.data;
  // A short code or URL settles on the full code, as /c/ does.
  if (b.code !== ref) return <Navigate replace to={`/builds/${b.code}/pick`} />;
  const entries = (bom.data?.entries ?? []).filter(
    (e) => !e.dnp && (stage === undefined || e.stage === stage),
  );
  const use = (l: PickList, s: number) => {
    const rows = l.choices
      .filter((c) => c.stage === s)
      .map((c) => ({ entry: c.entry, lot: c.lot, quantity: String(c.quantity) }));
    const state: PickedLotsState = { pickedLots: { stage: s, rows } };
    void navigate(objectUrl('', b.code), { state });
  };

  return (
    <>
      <div className="page-head">
        <div>
          <p className="kind-label">Pick list</p>
          <h1>
            {b.project.name} · build <code>{b.shortCode}</code>
          </h1>
        </div>
        <div className="actions">
          <a className="button" href={api.builds.pickListUrl(b.code, 'pdf', query)} download>
            Download PDF
          </a>
          <a className="button" href={api.builds.pickListUrl(b.code, 'csv', query)} download>
            Download CSV
          </a>
          <Link className="button" to={objectUrl('', b.code)}>
            Open the build
          </Link>
        </div>
      </div>
      <div className="card form">
        <Field label="Stage">
          <select
            value={stage ?? ''}
            onChange={(e) => {
              setStage(e.target.value ? Number(e.target.value) : undefined);
              setChoices([]);
            }}
          >
            <option value="">Every stage</option>
            {b.stages
              .filter((s) => s.placesParts)
              .map((s) => (
                <option key={s.stage} value={s.stage}>
                  Stage {s.stage} ({s.completedUnits} of {b.units.total} done)
                </option>
              ))}
          </select>
        </Field>
        {entries.length > 0 && (
          <LotChoices entries={entries} rows={choices} onChange={setChoices} />
        )}
      </div>
      {list.error !== undefined && <ErrorMessage error={list.error} retry={list.reload} />}
      {!list.data && list.error === undefined && <Loading what="the pick list" />}
      {list.data && (
        <>
          <p className="summary" data-testid="pick-summary">
            {list.data.stages
              .map((s) => `Stage ${s.stage}: ${plural(s.units, 'unit')} to complete`)
              .join(' · ')}
            {' · '}
            {ticks.count(list.data)} of {plural(lineCount(list.data), 'line')} picked
          </p>
          {list.data.shortages.length > 0 && <ShortageTable shortages={list.data.shortages} />}
          {list.data.locations.length === 0 && (
            <p className="empty">
              Nothing to pick: the stages listed are complete for every unit, or place no parts.
            </p>
          )}
          {list.data.locations.map((g) => (
            <PickListLocation
              key={g.location.code}
              group={g}
              ticked={ticks.has}
              onTick={ticks.toggle}
            />
          ))}
          {canWrite && b.status === 'in_progress' && (
            <div className="actions">
              {list.data.stages
                .filter((s) => s.units > 0 && list.data!.choices.some((c) => c.stage === s.stage))
                .map((s) => (
                  <button
                    key={s.stage}
                    type="button"
                    className="primary"
                    disabled={!list.data!.ok}
                    onClick={() => use(list.data!, s.stage)}
                  >
                    Use these lots to complete stage {s.stage}
                  </button>
                ))}
            </div>
          )}
        </>
      )}
    </>
  );
}

function lineCount(list: PickList): number {
  return list.locations.reduce((n, g) => n + g.lines.length, 0);
}
