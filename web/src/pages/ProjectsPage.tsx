import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';

/** Projects (a BOM and the part its builds make), searchable, a page at a time. */
export function ProjectsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const list = useListParams(25);
  const projects = useLoad(
    (signal) => api.projects.list({ q: list.q, limit: list.limit, offset: list.offset }, signal),
    [list.q, list.offset],
  );

  return (
    <>
      <div className="page-head">
        <h1>Projects</h1>
        {canWrite && (
          <Link className="button primary" to="/projects/new">
            New project
          </Link>
        )}
      </div>
      <SearchForm label="Search projects" value={list.q} onSearch={list.setQuery} />
      {projects.error !== undefined && (
        <ErrorMessage error={projects.error} retry={projects.reload} />
      )}
      {projects.loading && !projects.data && <Loading what="projects" />}
      {projects.data && projects.data.total === 0 && (
        <p className="empty">
          {list.q ? (
            <>No projects match “{list.q}”.</>
          ) : canWrite ? (
            <>
              No projects yet — <Link to="/projects/new">create one</Link>, then import its BOM.
            </>
          ) : (
            <>No projects yet.</>
          )}
        </p>
      )}
      {projects.data && projects.data.items.length > 0 && (
        <table className="list stack" aria-label="Projects" aria-busy={projects.loading}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Makes</th>
              <th className="num">BOM entries</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {projects.data.items.map((p) => (
              <tr key={p.code}>
                <td data-label="Name">
                  <Link to={objectUrl('', p.code)}>{p.name}</Link>{' '}
                  <code className="muted">{p.shortCode}</code>
                </td>
                <td data-label="Makes">
                  <Link to={objectUrl('', p.part.code)}>{p.part.name}</Link>
                </td>
                <td data-label="BOM entries" className="num">
                  {p.bomEntries}
                </td>
                <td data-label="Description">{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {projects.data && <Pager {...projects.data} onOffset={list.setOffset} />}
    </>
  );
}
