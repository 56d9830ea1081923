import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { useSession } from '../../auth/session.js';
import { BuildsTable } from '../../components/BuildsTable.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Pager } from '../../components/Pager.js';
import { useLoad } from '../../hooks/useLoad.js';

const PAGE = 10;

/** The builds of one project, newest first. */
export function ProjectBuilds({ project }: { project: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const [offset, setOffset] = useState(0);
  const builds = useLoad(
    (signal) => api.builds.list({ project, limit: PAGE, offset }, signal),
    [project, offset],
  );
  return (
    <section className="section">
      <h2>Builds</h2>
      {builds.error !== undefined && <ErrorMessage error={builds.error} retry={builds.reload} />}
      {builds.loading && !builds.data && <Loading what="builds" />}
      {builds.data && builds.data.total === 0 && (
        <p className="empty">
          No builds of this project yet
          {canWrite && (
            <>
              {' '}
              — <Link to={`/builds/new?project=${project}`}>start one</Link>
            </>
          )}
          .
        </p>
      )}
      {builds.data && builds.data.items.length > 0 && (
        <BuildsTable builds={builds.data.items} project={false} />
      )}
      {builds.data && <Pager {...builds.data} onOffset={setOffset} />}
    </section>
  );
}
