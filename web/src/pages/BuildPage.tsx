import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { formatRanges } from '@domain/serial-ranges.js';
import { parseSerialRanges } from '@domain/unit-refs.js';
import { Link, useLocation, useNavigate } from 'react-router';
import { signedByText } from '../components/signature/SignedBy.js';
import { useApi } from '../api/ApiContext.js';
import type { Build, CompletionResult } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { AttachmentsSection } from '../components/attachments/AttachmentsSection.js';
import { CodeHeader } from '../components/CodeHeader.js';
import type { CompleteUnitsState } from '../components/scan/CompleteStageLink.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Fold } from '../components/Fold.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime, formatQuantity, plural } from '../format.js';
import { BUILD_STATUS_LABELS, PICKING_LABELS } from '../format-builds.js';
import { useLiveEvents } from '../hooks/useLiveEvents.js';
import { useLoad } from '../hooks/useLoad.js';
import { LiveUpdated } from '../components/LiveUpdated.js';
import { readInput } from '../read-input.js';
import { AssignSerialsForm } from './build/AssignSerialsForm.js';
import { BuildBom } from './build/BuildBom.js';
import { BuildTimeline } from './build/BuildTimeline.js';
import { BuildUnits } from './build/BuildUnits.js';
import { CancelForm } from './build/CancelForm.js';
import { CompleteStageForm, type UnitSelection } from './build/CompleteStageForm.js';
import { ConsumptionTable } from './build/ConsumptionTable.js';
import { FinishForm } from './build/FinishForm.js';
import { StageProgress } from './build/StageProgress.js';
import { TestSummary } from './build/TestSummary.js';
import { Notice } from '../components/Notice.js';
import type { PickedLotsState } from './build/PickListPage.js';

/**
 * A build: what to do next first (its stages and, while it is in progress, completing a stage,
 * finishing or cancelling), its units with their tests, files; then its BOM, what it consumed
 * and its timeline, folded on a phone. A finished or cancelled build offers no stage actions.
 */
export function BuildPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const build = useLoad((signal) => api.builds.get(code, signal), [code]);
  const consumption = useLoad((signal) => api.builds.consumption(code, signal), [code]);
  const timeline = useLoad((signal) => api.builds.timeline(code, signal), [code]);
  // The BOM as the build took it: the project's may have changed since the build started.
  const bom = useLoad((signal) => api.builds.bom(code, signal), [code]);
  // Opened from the scan page with collected units: the stage form starts with them chosen.
  const location = useLocation();
  const navigate = useNavigate();
  const state = location.state as Partial<CompleteUnitsState & PickedLotsState> | null;
  const collected = state?.completeUnits;
  // Opened from a pick list ("Use these lots"): the stage form starts with its lots chosen.
  const [picked, setPicked] = useState(state?.pickedLots);
  const [selection, setSelection] = useState<UnitSelection>(
    collected ? { mode: 'chosen', text: collected } : { mode: 'all', text: '' },
  );
  const [notice, setNotice] = useState<string | null>(null);
  // Moved on when another user or a station changed the build or its units: the sections whose
  // loads follow the build's own version load again too (a test result leaves the build as it is).
  const [live, setLive] = useState(0);
  const update = useLiveEvents([code], () => {
    build.reload();
    consumption.reload();
    timeline.reload();
    bom.reload();
    setLive((n) => n + 1);
  });

  if (build.error !== undefined) return <ErrorMessage error={build.error} retry={build.reload} />;
  if (!build.data) return <Loading what="the build" />;
  const b = build.data;
  // The units chosen for a stage (ticked in the table or typed) can have their labels printed.
  const chosenSerials =
    selection.mode === 'chosen'
      ? readInput(() => parseSerialRanges(selection.text, b.quantity))
      : undefined;
  const chosen =
    chosenSerials?.value && chosenSerials.value.length > 0
      ? formatRanges(chosenSerials.value, '-')
      : undefined;
  const canAct = canWrite && b.status === 'in_progress';
  const changed = (message: string) => {
    setNotice(message);
    build.reload();
    consumption.reload();
    timeline.reload();
    bom.reload();
  };
  const completed = (r: CompletionResult) => {
    setSelection({ mode: 'all', text: '' });
    if (picked) {
      setPicked(undefined);
      // The page's history entry forgets the picked lots too: a reload must not offer them again.
      void navigate(location.pathname, { replace: true });
    }
    changed(
      `Stage ${r.stage} completed for ${plural(r.units, 'unit')}${r.serials === 'all' ? '' : ` (${r.serials})`}.`,
    );
  };
  const ended = (next: Build) =>
    changed(`Build ${BUILD_STATUS_LABELS[next.status].toLowerCase()}.`);

  return (
    <>
      <CodeHeader kind="Build" title={b.project.name} code={b.code} shortCode={b.shortCode}>
        <p className="summary">
          <span className={`status status-${b.status}`} data-testid="build-status">
            {BUILD_STATUS_LABELS[b.status]}
          </span>{' '}
          · <strong data-testid="build-quantity">{plural(b.quantity, 'unit')}</strong>{' '}
          {b.serialized ? '(each its own lot)' : '(one lot)'} of{' '}
          <Link to={objectUrl('', b.part.code)}>{b.part.name}</Link>
        </p>
        <p className="summary">
          Project <Link to={objectUrl('', b.project.code)}>{b.project.name}</Link> · at{' '}
          <Link to={objectUrl('', b.location.code)}>{b.location.name}</Link> ·{' '}
          <span data-testid="bom-revision">
            BOM revision {b.bomRevision}
            {b.projectBomRevision !== b.bomRevision &&
              ` (the project's BOM has changed since: now revision ${b.projectBomRevision})`}
          </span>{' '}
          ·{' '}
          <span data-testid="bom-approval">
            {b.bomApproval
              ? `approved ${signedByText(b.bomApproval.by.name, b.bomApproval.at, b.bomApproval.signature)}`
              : 'not approved'}
          </span>
        </p>
        <p className="summary muted">
          {PICKING_LABELS[b.picking]}
          {b.excludeTags.length > 0 && ` · never picks lots tagged ${b.excludeTags.join(', ')}`} ·
          started {formatDateTime(b.createdAt)}
          {b.finishedAt && ` · finished ${formatDateTime(b.finishedAt)}`}
        </p>
        {b.notes && <p className="summary">{b.notes}</p>}
        {b.finishNote && <p className="summary">Finish note: {b.finishNote}</p>}
        <div className="actions">
          {b.status === 'in_progress' && (
            <Link className="button" to={`/builds/${b.code}/pick`}>
              Pick list
            </Link>
          )}
          <a className="button" href={api.builds.dhrPdfUrl(b.code)} download>
            Device History Record (PDF)
          </a>
          {b.serialized && (
            <Link className="button" to={`/labels?build=${b.code}`}>
              Print labels for all units
            </Link>
          )}
          {b.serialized && chosen && (
            <Link
              className="button"
              to={`/labels?build=${b.code}&units=${encodeURIComponent(chosen)}`}
            >
              Print labels for units {chosen}
            </Link>
          )}
        </div>
      </CodeHeader>
      <Notice text={notice} />
      <LiveUpdated update={update} />
      <section className="section">
        <h2>Stages</h2>
        <StageProgress build={b} />
        {b.serialized && (
          <p className="summary" data-testid="unit-counts">
            {formatQuantity(b.units.inProduction)} in production ·{' '}
            {formatQuantity(b.units.available)} available · {formatQuantity(b.units.held)} held ·{' '}
            {formatQuantity(b.units.installed)} installed · {formatQuantity(b.units.scrapped)}{' '}
            scrapped
            {b.units.rejected > 0 && ` · ${formatQuantity(b.units.rejected)} rejected`}
          </p>
        )}
        {b.status !== 'in_progress' && (
          <p className="summary muted" data-testid="build-done">
            {b.status === 'finished'
              ? 'This build is finished: nothing is left to do here; its units go on from their own pages.'
              : 'This build is cancelled: nothing is left to do here.'}
          </p>
        )}
        {canAct && (
          <>
            {bom.error !== undefined && <ErrorMessage error={bom.error} retry={bom.reload} />}
            <CompleteStageForm
              key={b.updatedAt}
              build={b}
              entries={bom.data?.entries ?? []}
              selection={selection}
              onSelection={setSelection}
              onDone={completed}
              picked={picked}
            />
            <FinishForm key={`finish-${b.updatedAt}`} build={b} onDone={ended} />
            <CancelForm build={b} onDone={ended} />
          </>
        )}
      </section>
      <section className="section">
        <h2>Units</h2>
        <BuildUnits
          build={b}
          canAct={canAct}
          selection={selection}
          onSelection={setSelection}
          version={`${b.updatedAt}/${live}`}
          onChanged={changed}
        />
        {canWrite && b.serialized && b.status !== 'cancelled' && (
          <AssignSerialsForm build={b.code} units={b.quantity} onDone={changed} />
        )}
      </section>
      <TestSummary build={b.code} part={b.part.code} version={`${b.updatedAt}/${live}`} />
      <AttachmentsSection subject={b.code} />
      <Fold title="BOM" count={bom.data?.entries.length}>
        {bom.data && (
          <BuildBom
            build={b.code}
            entries={bom.data.entries}
            stages={b.stages}
            onChanged={canAct ? changed : undefined}
          />
        )}
      </Fold>
      <Fold title="Consumption" count={consumption.data?.items.length}>
        {consumption.error !== undefined && (
          <ErrorMessage error={consumption.error} retry={consumption.reload} />
        )}
        {consumption.loading && !consumption.data && <Loading what="the consumption" />}
        {consumption.data && consumption.data.items.length === 0 && (
          <p className="empty">Nothing consumed yet: stages consume their parts when completed.</p>
        )}
        {consumption.data && consumption.data.items.length > 0 && (
          <ConsumptionTable items={consumption.data.items} />
        )}
      </Fold>
      <Fold title="Timeline" count={timeline.data?.items.length}>
        {timeline.error !== undefined && (
          <ErrorMessage error={timeline.error} retry={timeline.reload} />
        )}
        {timeline.loading && !timeline.data && <Loading what="the timeline" />}
        {timeline.data && (
          <BuildTimeline
            build={b}
            items={timeline.data.items}
            onReversed={
              canAct
                ? (r) =>
                    changed(
                      `Completion ${r.completion} reversed: stage ${r.stage} is to do again for ${plural(r.units, 'unit')}${r.serials === 'all' ? '' : ` (${r.serials})`}.`,
                    )
                : undefined
            }
          />
        )}
      </Fold>
    </>
  );
}
