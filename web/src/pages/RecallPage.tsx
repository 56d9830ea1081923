import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FieldList } from '../components/FieldList.js';
import { Loading } from '../components/Loading.js';
import { formatQuantity, plural, STATUS_LABELS } from '../format.js';
import { useLiveEvents } from '../hooks/useLiveEvents.js';
import { useLoad } from '../hooks/useLoad.js';
import { LiveUpdated } from '../components/LiveUpdated.js';
import { HoldForm } from './recall/HoldForm.js';
import { RecallHolds } from './recall/RecallHolds.js';
import { RecallCounts } from './recall/RecallCounts.js';
import { RecallTable } from './recall/RecallTable.js';

/**
 * `/recall/<lot>`: every unit and lot that may contain a lot (a bad reel), through every level
 * of sub-assemblies, with where each is now; CSV download; hold everything at once.
 */
export function RecallPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const ref = useParams().code ?? '';
  const recall = useLoad((signal) => api.recall.get(ref, signal), [ref]);
  // Moved on by a hold, so that the list of holds is read again.
  const [version, setVersion] = useState(0);
  // A hold or release by another user, or an affected unit shipped, returned or scrapped.
  const affected = recall.data?.items.map((i) => i.code) ?? [];
  const update = useLiveEvents(
    [ref, ...(recall.data?.sources.map((s) => s.code) ?? []), ...affected],
    () => {
      recall.reload();
      setVersion((v) => v + 1);
    },
  );

  if (recall.error !== undefined) {
    return (
      <>
        <h1>Recall</h1>
        <ErrorMessage error={recall.error} retry={recall.reload} />
      </>
    );
  }
  if (!recall.data) return <Loading what="the recall" />;
  const r = recall.data;
  const source = r.sources[0];
  if (!source) return <p className="empty">No lot to recall.</p>;
  // A short code or URL settles on the full code, as /c/ does.
  if (source.code !== ref) return <Navigate replace to={`/recall/${source.code}`} />;

  return (
    <>
      <div className="page-head">
        <div>
          <p className="kind-label">Recall</p>
          <h1>
            Lot <code data-testid="recall-lot">{source.shortCode}</code>
            {source.name && ` · ${source.name}`}
          </h1>
        </div>
        <div className="actions">
          <a className="button" href={api.recall.csvUrl(source.code)} download>
            Download CSV
          </a>
          <Link className="button" to={objectUrl('', source.code)}>
            Open the lot
          </Link>
        </div>
      </div>
      <LiveUpdated update={update} />
      <FieldList
        fields={[
          ['Part', <Link to={objectUrl('', source.part.code)}>{source.part.name}</Link>],
          ['MPN', source.part.mpn],
          ['Vendor lot', source.vendorLot],
          ['Date code', source.dateCode],
          [
            'Stock left',
            source.stock
              .map(
                (s) =>
                  `${formatQuantity(s.quantity)} ${STATUS_LABELS[s.status].toLowerCase()} at ${s.location.name}`,
              )
              .join('; '),
          ],
        ]}
      />
      {r.items.length === 0 ? (
        <p className="empty section">Nothing was made with this lot: no unit or lot contains it.</p>
      ) : (
        <>
          <section className="section">
            <h2>Affected</h2>
            <RecallCounts recall={r} />
            {r.buildScoped.length > 0 && (
              <ul className="notice-list" aria-label="Build-scoped consumption">
                {r.buildScoped.map((b) => (
                  <li key={`${b.completion}/${b.lot}`}>
                    Build{' '}
                    <Link to={objectUrl('', b.build.code)}>
                      <code>{b.build.shortCode}</code>
                    </Link>{' '}
                    took lot <code>{b.lot.slice(0, 8)}</code> with other lots for one entry (stage{' '}
                    {b.stage}): each of its {plural(b.units, 'output')} may contain it.
                  </li>
                ))}
              </ul>
            )}
          </section>
          <RecallTable items={r.items} />
        </>
      )}
      {canWrite && (
        <section className="section">
          <HoldForm
            code={source.code}
            shortCode={source.shortCode}
            affected={r.counts.total}
            onDone={() => {
              recall.reload();
              setVersion((v) => v + 1);
            }}
          />
        </section>
      )}
      <RecallHolds
        code={source.code}
        canWrite={canWrite}
        version={version}
        onReleased={recall.reload}
      />
    </>
  );
}
