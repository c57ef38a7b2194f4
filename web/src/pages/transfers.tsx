// Transfers (T-5): those offered to me, to accept or decline, and those I
// asked for. The offers arrive live (`transfer.requested`). Those who assign
// work (team leads, supervisors, managers) also see every transfer of the
// teams they oversee (`box=team`), by status.
import { useEffect, useState } from 'preact/hooks';
import { getAll, post, type Me, type Transfer } from '../api';
import { fmtTime, t, useLang } from '../i18n';
import { can, teamsCell, useCell, useEvents, userName } from '../state';
import { refreshTransfers, transfersCell } from '../transfers';
import { FormError, errorText } from '../ui';

export function TransfersPage(props: { me: Me }) {
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
      {can(props.me, 'tickets.assign') && <TeamTransfers me={props.me} />}
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

/** Every transfer of a team (or of all teams, for supervisors and managers),
 * reloaded on transfer events and every 30 s. */
function TeamTransfers(props: { me: Me }) {
  const { me } = props;
  const teams = useCell(teamsCell);
  const lead = me.role === 'team_lead';
  const [team, setTeam] = useState(lead ? me.team_id || '' : '');
  const [status, setStatus] = useState('pending');
  const [items, setItems] = useState<Transfer[] | null>(null);
  const [err, setErr] = useState('');
  const load = () =>
    getAll<Transfer>('/transfers', { box: 'team', team_id: team, status }, 200)
      .then((x) => {
        setItems(x);
        setErr('');
      })
      .catch((e) => setErr(errorText(e)));
  useEffect(() => {
    load();
    const id = setInterval(() => document.visibilityState === 'visible' && load(), 30000);
    return () => clearInterval(id);
  }, [team, status]);
  useEvents((e) => {
    if (e.kind.startsWith('transfer.')) load();
  }, [team, status]);
  const sel = (ev: Event) => (ev.target as HTMLSelectElement).value;
  return (
    <section class="card" data-testid="team-transfers">
      <h2>{t('transfers.team')}</h2>
      <p class="muted">{t('transfers.team_hint')}</p>
      <div class="filters">
        {!lead && (
          <label>
            <span class="sr">{t('nav.team')}</span>
            <select value={team} onChange={(e) => setTeam(sel(e))} data-testid="team-transfers-team">
              <option value="">{t('transfers.team_all')}</option>
              {teams.map((x) => (
                <option value={x.id}>{x.name}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span class="sr">{t('queue.status')}</span>
          <select value={status} onChange={(e) => setStatus(sel(e))} data-testid="team-transfers-status">
            <option value="pending">{t('transfers.st.pending')}</option>
            <option value="accepted">{t('transfers.st.accepted')}</option>
            <option value="declined">{t('transfers.st.declined')}</option>
            <option value="">{t('transfers.status_all')}</option>
          </select>
        </label>
      </div>
      <FormError text={err} />
      {items && items.length === 0 ? (
        <p class="muted">{t('transfers.team_none')}</p>
      ) : (
        <ul class="mini-list">
          {(items || []).map((x) => (
            <li key={x.id} data-transfer={x.id} data-status={x.status}>
              <a href={'#/tickets/' + x.ticket_id}>
                <span class="c-num">{x.ticket_number}</span> {x.ticket_subject}
              </a>
              <span class="muted">
                {t('transfers.from_to', { from: userName(x.from_user_id), to: userName(x.to_user_id) })} · {x.reason} ·{' '}
                {fmtTime(x.created_at)}
              </span>
              <span class={'badge tr-' + x.status}>{t(('transfers.st.' + x.status) as 'transfers.st.pending')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
