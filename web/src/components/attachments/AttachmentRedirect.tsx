import { objectUrl } from '@domain/object-url.js';
import { Navigate } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { useLoad } from '../../hooks/useLoad.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Loading } from '../Loading.js';

/** A scanned attachment code opens the page of the object the file belongs to. */
export function AttachmentRedirect({ code }: { code: string }) {
  const api = useApi();
  const attachment = useLoad((signal) => api.attachments.get(code, signal), [code]);
  if (attachment.error !== undefined)
    return <ErrorMessage error={attachment.error} retry={attachment.reload} />;
  if (!attachment.data) return <Loading what="the file" />;
  return <Navigate replace to={objectUrl('', attachment.data.subjectCode)} />;
}
