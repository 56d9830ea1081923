import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { limitsText } from '../../components/TestStatusBadge.js';
import { plural } from '../../format.js';
import { useLoad } from '../../hooks/useLoad.js';

/** Per test of the build's part: how many units passed, failed, or have no result yet. */
export function TestSummary({
  build,
  part,
  version,
}: {
  build: string;
  part: string;
  /** Changes when the build changes (units scrapped): the counts are loaded again. */
  version?: string;
}) {
  const api = useApi();
  const summary = useLoad((signal) => api.tests.buildSummary(build, signal), [build, version]);
  const s = summary.data;
  return (
    <section className="section" aria-labelledby="build-tests-heading">
      <h2 id="build-tests-heading">Tests</h2>
      {summary.error !== undefined && <ErrorMessage error={summary.error} retry={summary.reload} />}
      {summary.loading && !s && <Loading what="the test summary" />}
      {s && s.tests.length === 0 && (
        <p className="empty">
          No tests are defined for this product.{' '}
          <Link to={objectUrl('', part)}>Define them on the part</Link>; stations then upload
          results by their keys.
        </p>
      )}
      {s && s.tests.length > 0 && (
        <>
          <p className="summary">
            Latest result per test across {plural(s.units, 'unit')} (scrapped units left out).
          </p>
          <table className="list stack" aria-label="Test summary">
            <thead>
              <tr>
                <th>Test</th>
                <th>Pass</th>
                <th>Fail</th>
                <th>Missing</th>
              </tr>
            </thead>
            <tbody>
              {s.tests.map(({ template, pass, fail, missing }) => (
                <tr key={template.code} data-key={template.key}>
                  <td data-label="Test">
                    {template.name} <code className="muted">{template.key}</code>
                    {!template.required && <span className="badge">optional</span>}
                    {limitsText(template) && (
                      <span className="muted"> ({limitsText(template)})</span>
                    )}
                  </td>
                  <td data-label="Pass">
                    <span className="test-status test-pass" data-testid={`pass-${template.key}`}>
                      {pass}
                    </span>
                  </td>
                  <td data-label="Fail">
                    <span className="test-status test-fail" data-testid={`fail-${template.key}`}>
                      {fail}
                    </span>
                  </td>
                  <td data-label="Missing">
                    <span
                      className="test-status test-missing"
                      data-testid={`missing-${template.key}`}
                    >
                      {missing}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
