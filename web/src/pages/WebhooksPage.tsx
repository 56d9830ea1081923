import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@domain/webhook-event-types.js';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { Webhook, WebhookCreated } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { ShownOnce } from '../components/ShownOnce.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';

/**
 * Admins: webhook subscriptions (docs/webhooks.md) — add one (its secret shown this once), see
 * which are paused and resume them, and each one's deliveries with a Replay button.
 */
export function WebhooksPage() {
  const api = useApi();
  const { me } = useSession();
  const webhooks = useLoad((signal) => api.webhooks.list(signal), []);
  const action = useAction();
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  if (me?.role !== 'admin') return <p className="empty">Only admins manage webhooks.</p>;

  const act = async (run: () => Promise<unknown>) => {
    if (await action.run(run)) webhooks.reload();
  };
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
      </div>
      <p className="hint">
        Tracelot POSTs a signed JSON event to each URL when its events happen; a receiver that fails
        for a day is paused. See docs/webhooks.md for the payload and how to verify it.
      </p>
      <AddWebhookForm
        onCreated={(c) => {
          setCreated(c);
          setShown(c.webhook.code);
          webhooks.reload();
        }}
      />
      {created && (
        <ShownOnce
          label="New webhook secret"
          secret={created.secret}
          done="I have kept it"
          onDone={() => setCreated(null)}
        >
          Signing secret of the new webhook, shown only this once — keep it where the receiver
          verifies deliveries:
        </ShownOnce>
      )}
      {webhooks.error !== undefined && (
        <ErrorMessage error={webhooks.error} retry={webhooks.reload} />
      )}
      {action.error !== null && <ErrorMessage error={action.error} />}
      {webhooks.loading && !webhooks.data && <Loading what="webhooks" />}
      {webhooks.data && webhooks.data.items.length === 0 && (
        <p className="empty">No webhooks yet.</p>
      )}
      {webhooks.data && webhooks.data.items.length > 0 && (
        <table className="list" aria-label="Webhooks">
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {webhooks.data.items.map((w) => (
              <tr key={w.code}>
                <td>{w.url}</td>
                <td>{w.events.join(', ')}</td>
                <td>
                  {w.status}
                  {w.status === 'paused' && w.pauseReason && (
                    <span className="hint"> — {w.pauseReason}</span>
                  )}
                </td>
                <td>
                  <Actions webhook={w} busy={action.busy} act={act} show={setShown} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown && <Deliveries code={shown} />}
    </>
  );
}

function Actions({
  webhook: w,
  busy,
  act,
  show,
}: {
  webhook: Webhook;
  busy: boolean;
  act: (run: () => Promise<unknown>) => Promise<void>;
  show: (code: string) => void;
}) {
  const api = useApi();
  if (w.status === 'deleted') return null;
  return (
    <>
      <button type="button" onClick={() => show(w.code)}>
        Deliveries
      </button>{' '}
      <button
        type="button"
        disabled={busy}
        onClick={() => void act(() => api.webhooks.ping(w.code))}
      >
        Send test event
      </button>{' '}
      {w.status === 'paused' ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => void act(() => api.webhooks.resume(w.code))}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => void act(() => api.webhooks.pause(w.code))}
        >
          Pause
        </button>
      )}{' '}
      <button
        type="button"
        disabled={busy}
        onClick={() => void act(() => api.webhooks.remove(w.code))}
      >
        Delete
      </button>
    </>
  );
}

function AddWebhookForm({ onCreated }: { onCreated: (created: WebhookCreated) => void }) {
  const api = useApi();
  const add = useAction();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await add.run(() => api.webhooks.create({ url, events }));
    if (!created) return;
    setUrl('');
    setEvents([]);
    onCreated(created);
  };
  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents((old) => (on ? [...old, type] : old.filter((t) => t !== type)));
  return (
    <form className="card form" onSubmit={submit} aria-label="Add a webhook">
      <label className="field-wide">
        URL
        <input
          name="url"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
          maxLength={2000}
          placeholder="https://erp.example.com/tracelot"
        />
      </label>
      <fieldset className="field-wide">
        <legend>Events</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) => toggle(type, e.target.checked)}
            />{' '}
            {type}
          </label>
        ))}
      </fieldset>
      {add.error !== null && <ErrorMessage error={add.error} />}
      <div className="actions">
        <button type="submit" disabled={add.busy}>
          Add webhook
        </button>
      </div>
    </form>
  );
}

function Deliveries({ code }: { code: string }) {
  const api = useApi();
  // Reloaded after a replay; the code picks the subscription shown.
  const deliveries = useLoad((signal) => api.webhooks.deliveries(code, signal), [code]);
  const replay = useAction();
  return (
    <section aria-label="Deliveries">
      <div className="page-head">
        <h2>Deliveries</h2>
        <button type="button" onClick={deliveries.reload}>
          Refresh
        </button>
      </div>
      {deliveries.error !== undefined && (
        <ErrorMessage error={deliveries.error} retry={deliveries.reload} />
      )}
      {replay.error !== null && <ErrorMessage error={replay.error} />}
      {deliveries.data && deliveries.data.items.length === 0 && (
        <p className="empty">No deliveries yet.</p>
      )}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <table className="list" aria-label="Delivery log">
          <thead>
            <tr>
              <th>Id</th>
              <th>Event</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Answer</th>
              <th>Time</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.data.items.map((d) => (
              <tr key={d.id}>
                <td>{d.id}</td>
                <td>{d.eventType}</td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.lastStatus ?? d.lastError ?? ''}
                  {d.lastResponse && <span className="hint"> {d.lastResponse}</span>}
                </td>
                <td>{d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt}</td>
                <td>
                  <button
                    type="button"
                    disabled={replay.busy}
                    aria-label={`Replay delivery ${d.id}`}
                    onClick={() =>
                      void replay.run(() => api.webhooks.replay(d.id)).then(deliveries.reload)
                    }
                  >
                    Replay
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
