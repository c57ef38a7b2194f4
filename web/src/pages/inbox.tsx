// The inbox (K-2): what waits for the signed-in person until read — major
// and crisis complaints for the manager and VP, resolutions awaiting their
// approval. New entries arrive live (the `inbox.new` event).
import { useEffect, useState } from 'preact/hooks';
import { get, post, type InboxPage as InboxAnswer, type Notification } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { cell, useCell, useEvents } from '../state';
import { FormError, errorText } from '../ui';

/** The caller's unread count, for the top bar. */
export const unreadCell = cell<number>(0);

export async function refreshInbox(): Promise<InboxAnswer | null> {
  try {
    const page = await get<InboxAnswer>('/inbox', { limit: 100 });
    unreadCell.set(page.unread);
    return page;
  } catch {
    return null;
  }
}

function summary(n: Notification): string {
  const p = n.payload || {};
  const parts = [p.number, p.subject].filter(Boolean) as string[];
  if (p.severity) parts.push(tv('severity', p.severity));
  if (p.required_approver_role) parts.push(t('res.required', { role: tv('role', p.required_approver_role) }));
  return parts.join(' · ');
}

export function InboxPage() {
  useLang();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [err, setErr] = useState('');
  const unread = useCell(unreadCell);

  async function load() {
    const page = await refreshInbox();
    if (page) setItems(page.items);
  }
  useEffect(() => {
    load();
  }, []);
  useEvents((e) => {
    if (e.kind === 'inbox.new') load();
  });
  async function markRead(n: Notification) {
    try {
      await post('/inbox/' + n.id + '/read');
      setErr('');
      await load();
    } catch (e) {
      setErr(errorText(e));
    }
  }
  const shown = (items || []).filter((n) => !unreadOnly || !n.read_at);
  return (
    <section class="card wide" aria-labelledby="inbox-title">
      <h1 id="inbox-title">
        {t('inbox.title')} <small class="muted" data-testid="inbox-unread">{t('inbox.unread', { n: unread })}</small>
      </h1>
      <label class="checkbox">
        <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly((e.target as HTMLInputElement).checked)} /> {t('inbox.unread_only')}
      </label>
      <FormError text={err} />
      {items === null ? (
        <p class="muted">{t('queue.loading')}</p>
      ) : shown.length === 0 ? (
        <p class="muted">{t('inbox.empty')}</p>
      ) : (
        <ul class="inbox" data-testid="inbox">
          {shown.map((n) => (
            <li key={n.id} class={n.read_at ? 'read' : 'unread'} data-kind={n.kind} data-ticket={n.ticket_id || ''}>
              <div>
                <strong>{tv('inboxkind', n.kind)}</strong>{' '}
                {n.ticket_id ? <a href={'#/tickets/' + n.ticket_id}>{summary(n)}</a> : summary(n)}
              </div>
              <div class="row-end">
                <time class="muted" dateTime={n.created_at}>
                  {fmtTime(n.created_at)}
                </time>
                {n.read_at ? (
                  <span class="muted">{t('inbox.read')}</span>
                ) : (
                  <button type="button" class="link" onClick={() => markRead(n)}>
                    {t('inbox.mark_read')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
