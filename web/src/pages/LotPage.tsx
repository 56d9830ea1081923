import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { AttachmentsSection } from '../components/attachments/AttachmentsSection.js';
import { CodeHeader } from '../components/CodeHeader.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime, formatQuantity } from '../format.js';
import { useLoad } from '../hooks/useLoad.js';
import { BalancesTable } from './lot/BalancesTable.js';
import { GenealogyTree } from './lot/GenealogyTree.js';
import { LotFieldsForm } from './lot/LotFieldsForm.js';
import { LotFieldsView } from './lot/LotFieldsView.js';
import { LotHistory } from './lot/LotHistory.js';
import { ServiceSection } from './lot/ServiceSection.js';
import { StockActions } from './lot/StockActions.js';
import { TestsSection } from './lot/TestsSection.js';
import { UnitSection } from './lot/UnitSection.js';
import { Notice } from '../components/Notice.js';

/**
 * Everything about one lot: codes and QR, part, stock, fields, history. A unit (a device, a
 * lot of one from a serialized build) also shows its build, state, installed units and
 * genealogy; a lot made by a build shows what went into it.
 */
export function LotPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const lot = useLoad((signal) => api.lots.get(code, signal), [code]);
  const history = useLoad((signal) => api.lots.history(code, signal), [code]);
  const trace = useLoad((signal) => api.trace(code, signal), [code]);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped when the tests form attaches a file, so that the Files section shows it.
  const [filesVersion, setFilesVersion] = useState(0);

  if (lot.error !== undefined) return <ErrorMessage error={lot.error} retry={lot.reload} />;
  if (!lot.data) return <Loading what="the lot" />;
  const l = lot.data;
  const changed = (message: string) => {
    setNotice(message);
    lot.reload();
    history.reload();
    trace.reload();
  };
  const tree = trace.data;
  const root = tree?.root;
  const unit = root?.kind === 'unit' ? root : undefined;

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
        <p className="summary">
          <strong data-testid="lot-quantity">{formatQuantity(l.quantity, l.part.unit)}</strong> in
          total · received {formatDateTime(l.createdAt)}
        </p>
        {l.parentCode && (
          <p className="summary">
            Split from <Link to={objectUrl('', l.parentCode)}>{l.parentCode.slice(0, 8)}</Link>
          </p>
        )}
        {root?.build && (
          <p className="summary">
            Made by build{' '}
            <Link to={objectUrl('', root.build.code)}>
              <code>{root.build.shortCode}</code>
            </Link>
            {unit?.label && (
              <>
                {' '}
                as <strong>{unit.label}</strong>
              </>
            )}
          </p>
        )}
        <div className="actions">
          <Link className="button" to={`/recall/${l.code}`}>
            Recall
          </Link>
          <Link className="button" to={`/labels?lot=${l.code}`}>
            Print label
          </Link>
          {unit && (
            <a className="button" href={api.units.dhrPdfUrl(l.code)} download>
              Device History Record (PDF)
            </a>
          )}
        </div>
      </CodeHeader>
      <Notice text={notice} />
      {unit && (
        <UnitSection
          root={unit}
          installedIn={tree?.installedIn ?? null}
          canWrite={canWrite}
          onChanged={changed}
        />
      )}
      {unit && (
        <TestsSection
          unit={l.code}
          canWrite={canWrite}
          onChanged={history.reload}
          onFileAdded={() => setFilesVersion((v) => v + 1)}
        />
      )}
      {unit && <ServiceSection code={l.code} canWrite={canWrite} onChanged={changed} />}
      {tree && (tree.root.build || tree.root.children.length > 0) && (
        <section className="section">
          <h2>Genealogy</h2>
          <GenealogyTree tree={tree} />
        </section>
      )}
      {trace.error !== undefined && (
        <section className="section">
          <h2>Genealogy</h2>
          <ErrorMessage error={trace.error} retry={trace.reload} />
        </section>
      )}
      <section className="section">
        <h2>Stock</h2>
        <BalancesTable lot={l} />
        {canWrite && <StockActions lot={l} onDone={changed} />}
      </section>
      <section className="section">
        <h2>Fields</h2>
        {canWrite ? (
          <LotFieldsForm key={l.updatedAt} lot={l} onSaved={() => changed('Fields saved.')} />
        ) : (
          <LotFieldsView lot={l} />
        )}
      </section>
      <AttachmentsSection key={filesVersion} subject={l.code} onChanged={history.reload} />
      <section className="section">
        <h2>History</h2>
        {history.error !== undefined && (
          <ErrorMessage error={history.error} retry={history.reload} />
        )}
        {history.loading && !history.data && <Loading what="the history" />}
        {history.data && <LotHistory items={history.data.items} unit={l.part.unit} />}
      </section>
    </>
  );
}
