import { useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { PrintJob, PrintJobCreate, PrintRequest } from '../../api/types.js';
import { plural } from '../../format.js';
import { useAction } from '../../hooks/useAction.js';
import { useLoad } from '../../hooks/useLoad.js';
import { ErrorMessage } from '../ErrorMessage.js';

/** How often a queued job's status is asked for until it is sent or failed. */
const FOLLOW_MS = 700;

/**
 * "Print to <printer>" for each active printer, beside Download: queues a job with the form's
 * labels (the printer's kind decides ZPL or PDF), then follows it until it is sent or failed;
 * a failed job shows the printer's reason and can be retried.
 */
export function PrintToPrinter({ request }: { request: PrintRequest }) {
  const api = useApi();
  const printers = useLoad((signal) => api.printers.list(signal), []);
  const action = useAction();
  const [job, setJob] = useState<PrintJob | null>(null);
  useEffect(() => {
    if (job?.status !== 'queued') return;
    const timer = setTimeout(() => {
      api.printJobs.get(job.code).then(setJob, () => setJob({ ...job }));
    }, FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const active = printers.data?.items.filter((p) => p.active) ?? [];
  if (active.length === 0) return null;
  const print = async (printer: string) => {
    const queued = await action.run(() => api.printJobs.create(jobOf(request, printer)));
    if (queued) setJob(queued);
  };
  const retry = async (code: string) => {
    const queued = await action.run(() => api.printJobs.retry(code));
    if (queued) setJob(queued);
  };
  return (
    <>
      {active.map((p) => (
        <button
          key={p.code}
          type="button"
          disabled={action.busy || job?.status === 'queued'}
          onClick={() => void print(p.code)}
        >
          Print to {p.name}
        </button>
      ))}
      {job && (
        <span className="summary" role="status" data-testid="print-job-status">
          {job.status === 'queued' &&
            `Sending ${plural(job.labels, 'label')} to ${job.printer.name}…`}
          {job.status === 'sent' &&
            `Sent ${plural(job.labels, 'label')} to ${job.printer.name}${job.reprint ? ' (a reprint)' : ''}`}
          {job.status === 'failed' && (
            <>
              Failed on {job.printer.name}: {job.reason}{' '}
              <button type="button" disabled={action.busy} onClick={() => void retry(job.code)}>
                Retry
              </button>
            </>
          )}
        </span>
      )}
      {action.error !== null && <ErrorMessage error={action.error} />}
    </>
  );
}

/** The form's labels as a print job: what to label and the layout; format and dpi are the printer's. */
function jobOf(request: PrintRequest, printer: string): PrintJobCreate {
  const { template, media, symbology, codes, build, units, shipment } = request;
  return {
    printer,
    ...(template !== undefined && { template }),
    ...(media !== undefined && { media }),
    ...(symbology !== undefined && { symbology }),
    ...(codes !== undefined && { codes }),
    ...(build !== undefined && { build }),
    ...(units !== undefined && { units }),
    ...(shipment !== undefined && { shipment }),
  };
}
