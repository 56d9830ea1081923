import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { AttachmentsSection } from '../components/attachments/AttachmentsSection.js';
import { CodeHeader } from '../components/CodeHeader.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Fold } from '../components/Fold.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime, formatQuantity } from '../format.js';
import { useLiveEvents } from '../hooks/useLiveEvents.js';
import { useLoad } from '../hooks/useLoad.js';
import { LiveUpdated } from '../components/LiveUpdated.js';
import { UnitSerials } from './serials/UnitSerials.js';
import { BalancesTable } from './lot/BalancesTable.js';
import { GenealogyTree } from './lot/GenealogyTree.js';
import { InstalledUnits } from './lot/InstalledUnits.js';
import { LotFieldsForm } from './lot/LotFieldsForm.js';
import { LotFieldsView } from './lot/LotFieldsView.js';
import { LotHistory } from './lot/LotHistory.js';
import { ServiceSection } from './lot/ServiceSection.js';
import { StockActions } from './lot/StockActions.js';
import { TestsSection } from './lot/TestsSection.js';
import { UnitSection } from './lot/UnitSection.js';
import { Notice } from '../components/Notice.js';

/**
 * Everything about one lot, what a person does there first (a phone shows the top of the page
 * after a scan): for a unit (a device, a lot of one from a serialized build) its state, tests and
 * lifecycle actions, then recording a test and taking a photo; for another lot its stock and the
 * stock actions. The long sections (installed units, service history, genealogy, fields,
 * history) come last and are folded on a phone.
 */
export function LotPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  // Bumped by every change made here: what depends on the unit's state loads again.
  const [version, setVersion] = useState(0);
  const lot = useLoad((signal) => api.lots.get(code, signal), [code]);
  const history = useLoad((signal) => api.lots.history(code, signal), [code]);
  const trace = useLoad((signal) => api.trace(code, signal), [code]);
  const isUnit = trace.data?.root.kind === 'unit';
  const status = useLoad(
    (signal) => (isUnit ? api.units.status(code, signal) : Promise.resolve(undefined)),
    [code, isUnit, version],
  );
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped when the tests form attaches a file, so that the Files section shows it.
  const [filesVersion, setFilesVersion] = useState(0);
  // Another user or a test station changed this lot or unit (or its build: a stage completed).
  const build = trace.data?.root.build?.code;
  const update = useLiveEvents(build ? [code, build] : [code], () => {
    setVersion((v) => v + 1);
    lot.reload();
    history.reload();
    trace.reload();
  });

  if (lot.error !== undefined) return <ErrorMessage error={lot.error} retry={lot.reload} />;
  if (!lot.data) return <Loading what="the lot" />;
  const l = lot.data;
  const changed = (message: string) => {
    setNotice(message);
    setVersion((v) => v + 1);
    lot.reload();
    history.reload();
    trace.reload();
  };
  const tree = trace.data;
  const root = tree?.root;
  const unit = root?.kind === 'unit' ? root : undefined;
  // Until the trace says whether this is a unit, neither unit nor stock actions are offered.
  const known = tree !== undefined || trace.error !== undefined;

  return (
    <>
      <CodeHeader
        kind={unit ? 'Unit' : 'Lot'}
        title={l.name || unit?.label || l.part.name}
        code={l.code}
        shortCode={l.shortCode}
      >
        <p className="summary">
          Part <Link to={objectUrl('', l.part.code)}>{l.part.name}</Link>
          {l.part.mpn && <span className="muted"> · {l.part.mpn}</span>}
        </p>
        {root?.build ? (
          <p className="summary" data-testid="made-by">
            Made by build{' '}
            <Link to={objectUrl('', root.build.code)}>
              <code>{root.build.shortCode}</code>
            </Link>
            {unit?.label && (
              <>
                {' '}
                as <strong data-testid="unit-label">{unit.label}</strong>
              </>
            )}{' '}
            on {formatDateTime(l.createdAt)}
            {!unit && (
              <>
                {' '}
                ·{' '}
                <strong data-testid="lot-quantity">
                  {formatQuantity(l.quantity, l.part.unit)}
                </strong>{' '}
                in total
              </>
            )}
          </p>
        ) : (
          <p className="summary">
            <strong data-testid="lot-quantity">{formatQuantity(l.quantity, l.part.unit)}</strong> in
            total · received {formatDateTime(l.createdAt)}
          </p>
        )}
        {unit && (
          <p className="summary">
            Customer serial: <UnitSerials code={l.code} />
          </p>
        )}
        {l.parentCode && (
          <p className="summary">
            Split from <Link to={objectUrl('', l.parentCode)}>{l.parentCode.slice(0, 8)}</Link>
          </p>
        )}
        <div className="actions">
          <Link className="button" to={`/labels?lot=${l.code}`}>
            Print label
          </Link>
          <Link className="button" to={`/recall/${l.code}`}>
            Recall
          </Link>
          {unit && (
            <a className="button" href={api.units.dhrPdfUrl(l.code)} download>
              Device History Record (PDF)
            </a>
          )}
        </div>
      </CodeHeader>
      <Notice text={notice} />
      <LiveUpdated update={update} />
      {unit && status.error !== undefined && (
        <ErrorMessage error={status.error} retry={status.reload} />
      )}
      {unit && status.data && (
        <UnitSection
          root={unit}
          status={status.data}
          installedIn={tree?.installedIn ?? null}
          canWrite={canWrite}
          onChanged={changed}
        />
      )}
      {unit && (
        <TestsSection
          unit={l.code}
          canWrite={canWrite}
          version={version}
          onChanged={() => {
            history.reload();
            status.reload();
          }}
          onFileAdded={() => setFilesVersion((v) => v + 1)}
        />
      )}
      {known && !unit && (
        <section className="section">
          <h2>Stock</h2>
          <BalancesTable lot={l} />
          {canWrite && <StockActions lot={l} onDone={changed} />}
        </section>
      )}
      <AttachmentsSection key={filesVersion} subject={l.code} onChanged={history.reload} />
      {unit && <InstalledUnits root={unit} canWrite={canWrite} onChanged={changed} />}
      {unit && (
        <ServiceSection code={l.code} canWrite={canWrite} version={version} onChanged={changed} />
      )}
      {tree && (tree.root.build || tree.root.children.length > 0) && (
        <Fold title="Genealogy" count={tree.root.children.length}>
          <GenealogyTree tree={tree} />
        </Fold>
      )}
      {trace.error !== undefined && (
        <section className="section">
          <h2>Genealogy</h2>
          <ErrorMessage error={trace.error} retry={trace.reload} />
        </section>
      )}
      {unit && (
        <Fold title="Where it lies" count={l.balances.length}>
          <BalancesTable lot={l} />
        </Fold>
      )}
      <Fold title="Fields">
        {canWrite ? (
          <LotFieldsForm key={l.updatedAt} lot={l} onSaved={() => changed('Fields saved.')} />
        ) : (
          <LotFieldsView lot={l} />
        )}
      </Fold>
      <Fold title="History" count={history.data?.items.length}>
        {history.error !== undefined && (
          <ErrorMessage error={history.error} retry={history.reload} />
        )}
        {history.loading && !history.data && <Loading what="the history" />}
        {history.data && <LotHistory items={history.data.items} unit={l.part.unit} />}
      </Fold>
    </>
  );
}
