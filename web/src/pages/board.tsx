// Supervisor views: the team board (open, overdue and due-soon tickets per
// team and the load of each member, counted by the server: `GET
// /tickets/counts?team_id=`), and the escalations inbox (the
// open tickets escalated to the caller's level, T-8). Both follow the event
// stream and reload every 30 s.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, getAll, type Me, type TicketSummary, type User } from '../api';
import { t, tv, useLang } from '../i18n';
import { teamsCell, useCell, useEvents, usersCell } from '../state';
import { DUE_SOON_MS, errorText } from '../ui';
import { TicketTable, type CountsAnswer } from './queue';

const MAX = 1000;
export const BOARD_ROLES = new Set(['team_lead', 'supervisor', 'manager', 'vp', 'gm']);
export const ESCALATION_ROLES = new Set(['supervisor', 'manager', 'vp', 'gm']);

/** Loads `load` now, on every event (debounced) and every 30 s. */
function useLive<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const timer = useRef(0);
  const run = () =>
    load()
      .then((d) => {
        setData(d);
        setError('');
      })
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    run();
    const id = setInterval(() => document.visibilityState === 'visible' && run(), 30000);
    return () => {
      clearInterval(id);
      clearTimeout(timer.current);
    };
  }, deps);
  useEvents(() => {
    clearTimeout(timer.current);
    timer.current = window.setTimeout(run, 500);
  }, deps);
  return { data, error, reload: run };
}

interface Load {
  open: number;
  overdue: number;
  soon: number;
}
/** The server's counts (`GET /tickets/counts`) by assignee ('' for nobody). */
function tally(c: CountsAnswer | undefined) {
  const by = new Map<string, Load>();
  for (const x of c?.by_assignee ?? []) by.set(x.assignee_id ?? '', { open: x.open, overdue: x.overdue, soon: x.due_soon });
  return { by, total: { open: c?.open ?? 0, overdue: c?.overdue ?? 0, soon: c?.due_soon ?? 0 } };
}

export function BoardPage(props: { me: Me }) {
  useLang();
  const { me } = props;
  const teams = useCell(teamsCell);
  const users = useCell(usersCell);
  const shown = me.role === 'team_lead' ? teams.filter((x) => x.id === me.team_id) : teams;
  const key = shown.map((x) => x.id).join(',');
  const live = useLive(
    () =>
      Promise.all(
        shown.map((team) => get<CountsAnswer>('/tickets/counts', { team_id: team.id, due_soon_minutes: DUE_SOON_MS / 60000 })),
      ),
    [key],
  );

  return (
    <section class="board-page">
      <h1>{t('board.title')}</h1>
      {live.error && <p class="form-error">{live.error}</p>}
      {shown.length === 0 && <p class="muted">{t('board.no_teams')}</p>}
      <div class="board">
        {shown.map((team, i) => {
          const counts = live.data?.[i];
          const members: User[] = [...users.values()].filter((u) => u.team_id === team.id && u.active);
          const { by, total } = tally(counts);
          const top = Math.max(1, ...members.map((m) => by.get(m.id)?.open ?? 0));
          const unassigned = by.get('')?.open ?? 0;
          return (
            <section class="card team" key={team.id} data-team={team.id}>
              <h2>
                <a href={me.team_id === team.id ? '#/queue/team' : '#/queue/all'}>{team.name}</a>
              </h2>
              {!counts ? (
                <p class="muted">{t('queue.loading')}</p>
              ) : (
                <>
                  <div class="stats">
                    <Stat label={t('board.open')} n={total.open} />
                    <Stat label={t('board.overdue')} n={total.overdue} cls={total.overdue ? 'c-over' : ''} />
                    <Stat label={t('board.due_soon')} n={total.soon} cls={total.soon ? 'c-soon' : ''} />
                    <Stat label={t('board.unassigned')} n={unassigned} />
                  </div>
                  <table class="load">
                    <thead>
                      <tr>
                        <th scope="col">{t('board.member')}</th>
                        <th scope="col">{t('board.load')}</th>
                        <th scope="col">{t('board.overdue')}</th>
                        <th scope="col">{t('board.due_soon')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {members.map((m) => {
                        const l = by.get(m.id) ?? { open: 0, overdue: 0, soon: 0 };
                        return (
                          <tr key={m.id} data-login={m.login}>
                            <th scope="row">
                              {m.name} <small class="muted">{tv('role', m.role)}</small>
                            </th>
                            <td>
                              <span class="bar" style={{ width: Math.round((l.open / top) * 100) + '%' }} />
                              <b class="n">{l.open}</b>
                            </td>
                            <td class={l.overdue ? 'c-over' : 'muted'}>{l.overdue}</td>
                            <td class={l.soon ? 'c-soon' : 'muted'}>{l.soon}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </>
              )}
            </section>
          );
        })}
      </div>
    </section>
  );
}

function Stat(props: { label: string; n: number; cls?: string; more?: boolean }) {
  return (
    <div class={'stat ' + (props.cls ?? '')}>
      <b>
        {props.n}
        {props.more ? '+' : ''}
      </b>
      <span>{props.label}</span>
    </div>
  );
}

export function EscalationsPage(props: { me: Me }) {
  useLang();
  const { me } = props;
  const live = useLive(async () => {
    const open = await getAll<TicketSummary>('/tickets', { open: true }, MAX * 2);
    return { items: open.filter((x) => x.escalated_to === me.role), more: open.length >= MAX * 2 };
  }, [me.role]);
  const list = {
    items: live.data?.items ?? [],
    loading: live.data === null,
    done: true,
    error: live.error,
    loadMore: () => {},
    reload: live.reload,
  };
  return (
    <section class="queue-page">
      <div class="queue-head">
        <h1>{t('esc.title')}</h1>
        <p class="muted">
          {t('esc.hint', { role: tv('role', me.role) })}
          {live.data?.more ? ' · ' + t('board.more_esc') : ''}
        </p>
      </div>
      <TicketTable list={list} label={t('esc.title')} />
    </section>
  );
}
