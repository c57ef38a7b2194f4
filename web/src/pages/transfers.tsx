// Transfers (T-5): those offered to me, to accept or decline, and those I
// asked for. The offers arrive live (`transfer.requested`).
import { useEffect, useState } from 'preact/hooks';
import { getAll, post, type Me, type Transfer } from '../api';
import { fmtTime, t, useLang } from '../i18n';
import { useCell, useEvents, userName } from '../state';
import { refreshTransfers, transfersCell } from '../transfers';
import { FormError, errorText } from '../ui';

export function TransfersPage(_props: { me: Me }) {
  useLang();
  const incoming = useCell(transfersCell);
  const [outgoing, setOutgoing] = useState<Transfer[]>([]);
  const [err, setErr] = useState('');
  const loadOut = () =>
    getAll<Transfer>('/transfers', { box: 'outgoing' }, 100)
      .then(setOutgoing)
      .catch(() => setOutgoing([]));
  useEffect(() => {
    refreshTransfers();
    loadOut();
  }, []);
  useEvents((e) => {
    if (e.kind.startsWith('transfer.')) loadOut();
  });

  async function decide(x: Transfer, what: 'accept' | 'decline') {
    try {
      await post('/transfers/' + x.id + '/' + what);
      setErr('');
    } catch (e) {
      setErr(errorText(e));
    }
    refreshTransfers();
  }

  return (
    <section class="transfers-page">
      <h1>{t('transfers.title')}</h1>
      <FormError text={err} />
      <section class="card">
        <h2>{t('transfers.incoming')}</h2>
        {incoming.length === 0 ? (
          <p class="muted">{t('transfers.none')}</p>
        ) : (
          <ul class="mini-list" data-testid="incoming-transfers">
            {incoming.map((x) => (
              <li key={x.id}>
                <a href={'#/tickets/' + x.ticket_id}>
                  <span class="c-num">{x.ticket_number}</span> {x.ticket_subject}
                </a>
                <span class="muted">
                  {t('transfers.from', { who: userName(x.from_user_id) })} · {x.reason} · {fmtTime(x.created_at)}
                </span>
                <span class="actions">
                  <button type="button" class="primary" onClick={() => decide(x, 'accept')}>
                    {t('ticket.accept')}
                  </button>
                  <button type="button" onClick={() => decide(x, 'decline')}>
                    {t('ticket.decline')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card">
        <h2>{t('transfers.outgoing')}</h2>
        {outgoing.length === 0 ? (
          <p class="muted">{t('transfers.none')}</p>
        ) : (
          <ul class="mini-list">
            {outgoing.map((x) => (
              <li key={x.id}>
                <a href={'#/tickets/' + x.ticket_id}>
                  <span class="c-num">{x.ticket_number}</span> {x.ticket_subject}
                </a>
                <span class="muted">
                  {t('transfers.to', { who: userName(x.to_user_id) })} · {x.reason} · {fmtTime(x.created_at)}
                </span>
                <span class={'badge tr-' + x.status}>{x.status === 'pending' ? '…' : x.status === 'accepted' ? t('ticket.accept') + ' ✓' : t('ticket.decline')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
