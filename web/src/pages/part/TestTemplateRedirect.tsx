import { objectUrl } from '@domain/object-url.js';
import { Navigate } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { useLoad } from '../../hooks/useLoad.js';

/** A scanned test template code opens its part's page, where the tests are listed. */
export function TestTemplateRedirect({ code }: { code: string }) {
  const api = useApi();
  const template = useLoad((signal) => api.tests.template(code, signal), [code]);
  if (template.error !== undefined)
    return <ErrorMessage error={template.error} retry={template.reload} />;
  if (!template.data) return <Loading what="the test" />;
  return <Navigate replace to={objectUrl('', template.data.part)} />;
}
