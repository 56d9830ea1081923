import { objectUrl } from '@domain/object-url.js';
import { Navigate, useParams } from 'react-router';
import { ApiError } from '../api/client.js';
import { useApi } from '../api/ApiContext.js';
import { AttachmentRedirect } from '../components/attachments/AttachmentRedirect.js';
import { CandidateList } from '../components/CandidateList.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { useLoad } from '../hooks/useLoad.js';
import { BuildPage } from './BuildPage.js';
import { LocationPage } from './LocationPage.js';
import { LotPage } from './LotPage.js';
import { PartPage } from './PartPage.js';
import { ProjectPage } from './ProjectPage.js';
import { ServiceEventRedirect } from './lot/service/ServiceEventRedirect.js';
import { ShipmentPage } from './shipment/ShipmentPage.js';
import { TestTemplateRedirect } from './part/TestTemplateRedirect.js';

/**
 * `/c/<anything>`: the page a label's QR code opens. The resolver says what the text names;
 * a short code or URL is replaced by the full code, so every object has one address.
 */
export function CodePage() {
  const api = useApi();
  const ref = useParams().ref ?? '';
  const resolved = useLoad((signal) => api.resolve(ref, signal), [ref]);

  if (resolved.error !== undefined) {
    const error = resolved.error;
    const candidates = error instanceof ApiError ? error.candidates : [];
    return (
      <>
        <h1>{candidates.length ? 'Which one?' : 'Not found'}</h1>
        <ErrorMessage error={error} retry={candidates.length ? undefined : resolved.reload} />
        {candidates.length > 0 && <CandidateList candidates={candidates} />}
      </>
    );
  }
  if (resolved.loading || !resolved.data) return <Loading what={ref} />;
  const { kind, code } = resolved.data;
  if (code !== ref) return <Navigate replace to={objectUrl('', code)} />;
  switch (kind) {
    case 'lot':
      return <LotPage key={code} code={code} />;
    case 'part':
      return <PartPage key={code} code={code} />;
    case 'location':
      return <LocationPage key={code} code={code} />;
    case 'project':
      return <ProjectPage key={code} code={code} />;
    case 'build':
      return <BuildPage key={code} code={code} />;
    case 'attachment':
      return <AttachmentRedirect key={code} code={code} />;
    case 'shipment':
      return <ShipmentPage key={code} code={code} />;
    case 'service_event':
      return <ServiceEventRedirect key={code} code={code} />;
    case 'test_template':
      return <TestTemplateRedirect key={code} code={code} />;
  }
}
