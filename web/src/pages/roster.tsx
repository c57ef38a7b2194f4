// The monthly roster (W-2 … W-6): agents × days, one colour per shift, each
// agent's counts of days worked, late, weekend and holiday shifts (W-5), the
// coverage gaps (W-3) and the checker's violations. A supervisor generates
// the draft, edits a cell (the answer's violations are shown, W-6) and
// publishes it (W-2). A roster.changed event reloads it live (leave
// approved, a swap).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, put, type Me, type Roster, type RosterViolation } from '../api';
import { t, tv, useLang } from '../i18n';
import { can, teamsCell, useCell, useEvents } from '../state';
import { FormError, errorText, focusOnMount } from '../ui';

/** Next month as YYYY-MM (rosters are made before the month starts, W-2). */
function nextMonth(): string {
  const d = new Date();
  const y = d.getMonth() === 11 ? d.getFullYear() + 1 : d.getFullYear();
  const m = ((d.getMonth() + 1) % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

export function RosterPage(props: { me: Me; month?: string }) {
  useLang();
  const { me } = props;
  const month = props.month && /^\d{4}-\d{2}$/.test(props.month) ? props.month : nextMonth();
  const write = can(me, 'roster.write');
  const teams = useCell(teamsCell);
  const [roster, setRoster] = useState<Roster | null | undefined>(undefined);
  const [err, setErr] = useState('');
  const [team, setTeam] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<{ user: string; day: number } | null>(null);
  const [changeViolations, setChangeViolations] = useState<RosterViolation[] | null>(null);

  const load = () =>
    get<Roster>('/rosters/' + month)
      .then((r) => setRoster(r))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 404) setRoster(null);
        else setErr(errorText(e));
      });
  useEffect(() => {
    setRoster(undefined);
    setChangeViolations(null);
    load();
  }, [month]);
  useEvents(
    (e) => {
      if (e.kind === 'roster.changed' && e.month === month) load();
    },
    [month],
  );

  async function run(f: () => Promise<Roster>) {
    setBusy(true);
    try {
      const r = await f();
      setRoster(r);
      setErr('');
      return r;
    } catch (e) {
      setErr(errorText(e));
      return null;
    } finally {
      setBusy(false);
    }
  }
  const generate = () =>
    run(() =>
      post<Roster>('/rosters/' + month + '/generate', {
        ...(team ? { team_id: team } : {}),
        ...(roster ? { version: roster.version } : {}),
      }),
    ).then(() => setChangeViolations(null));
  const publish = () => roster && run(() => post<Roster>('/rosters/' + month + '/publish', { version: roster.version }));
  async function setCell(user: string, day: number, shift: string) {
    if (!roster) return;
    setEditing(null);
    const r = await run(() =>
      put<Roster>('/rosters/' + month + '/assignments', {
        version: roster.version,
        changes: [{ user_id: user, date: roster.days[day].date, shift: shift === 'rest' ? null : shift }],
      }),
    );
    if (r) setChangeViolations(r.change_violations ?? []);
  }

  const go = (m: string) => {
    location.hash = '#/roster?month=' + m;
  };
  const draft = roster?.status === 'draft';
  const shiftIndex = (s: string) => (roster ? roster.shifts.findIndex((x) => x.name === s) : -1);

  return (
    <section class="roster-page">
      <div class="roster-head">
        <h1>{t('roster.title')}</h1>
        <label>
          {t('roster.month')}{' '}
          <input type="month" id="roster-month" value={month} onChange={(e) => go((e.target as HTMLInputElement).value)} />
        </label>
        {roster && (
          <span class={'badge roster-' + roster.status} data-testid="roster-status">
            {tv('roster_status', roster.status)}
          </span>
        )}
        {write && (roster === null || draft) && (
          <span class="actions">
            <select id="roster-team" value={team} onChange={(e) => setTeam((e.target as HTMLSelectElement).value)} aria-label={t('roster.team')}>
              <option value="">{t('roster.all_agents')}</option>
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
            <button type="button" class="primary" disabled={busy} onClick={generate} data-testid="roster-generate">
              {busy ? t('roster.working') : t('roster.generate')}
            </button>
            {draft && (
              <button type="button" disabled={busy} onClick={publish} data-testid="roster-publish">
                {t('roster.publish')}
              </button>
            )}
          </span>
        )}
      </div>
      <FormError text={err} />
      {roster === undefined && <p class="muted">{t('queue.loading')}</p>}
      {roster === null && <p class="muted" data-testid="roster-none">{t('roster.none')}</p>}
      {roster && (
        <>
          {changeViolations && (
            <div class={'card roster-check' + (changeViolations.length ? ' bad' : ' good')} data-testid="change-violations" role="status">
              {changeViolations.length === 0 ? (
                t('roster.edit_ok')
              ) : (
                <ul>
                  {changeViolations.map((v, i) => (
                    <li key={i} class={v.hard ? 'hard' : 'soft'}>
                      <b>{v.rule}</b> {v.hard ? t('roster.hard') : t('roster.soft')} · {v.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div class="roster-legend">
            {roster.shifts.map((s, i) => (
              <span key={s.name} class={'rc rc-' + (s.is_late_shift ? 'late' : 's' + (i % 4))}>
                {s.name} {s.start}–{s.end}
              </span>
            ))}
            <span class="rc rc-rest">{t('roster.rest')}</span>
            <span class="rc rc-leave">{t('roster.leave')}</span>
          </div>
          <div class="roster-scroll">
            <table class="roster-grid" data-testid="roster-grid">
              <thead>
                <tr>
                  <th class="who">{t('roster.agent')}</th>
                  {roster.days.map((d) => (
                    <th key={d.date} class={(d.weekday === 'sat' || d.weekday === 'sun' ? 'we' : '') + (d.holiday ? ' hol' : '')} title={d.date}>
                      {Number(d.date.slice(8))}
                      <small>{tv('weekday', d.weekday)}</small>
                    </th>
                  ))}
                  <th title={t('roster.work_days')}>{t('roster.work_days_short')}</th>
                  <th title={t('roster.late')}>{t('roster.late_short')}</th>
                  <th title={t('roster.weekend')}>{t('roster.weekend_short')}</th>
                  <th title={t('roster.holiday')}>{t('roster.holiday_short')}</th>
                </tr>
              </thead>
              <tbody>
                {roster.agents.map((a) => (
                  <tr key={a.user_id} data-user={a.user_id}>
                    <th class="who">{a.name}</th>
                    {a.cells.map((c, d) => {
                      const i = shiftIndex(c);
                      const cls = c === 'rest' ? 'rest' : c === 'leave' ? 'leave' : roster.shifts[i]?.is_late_shift ? 'late' : 's' + (i % 4);
                      const open = editing && editing.user === a.user_id && editing.day === d;
                      const bad = roster.violations.some((v) => v.hard && v.user_id === a.user_id && v.date === roster.days[d].date);
                      return (
                        <td key={d} class={'rc rc-' + cls + (bad ? ' viol' : '')} data-day={roster.days[d].date} data-cell={c}>
                          {open ? (
                            <select
                              class="cell-edit"
                              value={c}
                              ref={focusOnMount}
                              onChange={(e) => setCell(a.user_id, d, (e.target as HTMLSelectElement).value)}
                              onBlur={() => setEditing(null)}
                              aria-label={t('roster.edit_cell')}
                            >
                              {roster.shifts.map((s) => (
                                <option key={s.name} value={s.name}>
                                  {s.name}
                                </option>
                              ))}
                              <option value="rest">{t('roster.rest')}</option>
                            </select>
                          ) : write && draft && c !== 'leave' ? (
                            <button type="button" class="cell" onClick={() => setEditing({ user: a.user_id, day: d })} title={roster.days[d].date}>
                              {cellLabel(c)}
                            </button>
                          ) : (
                            cellLabel(c)
                          )}
                        </td>
                      );
                    })}
                    <td class="num">{a.counts.work_days}</td>
                    <td class="num">{a.counts.late}</td>
                    <td class="num">{a.counts.weekend}</td>
                    <td class="num">{a.counts.holiday}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section class="card">
            <h2>{t('roster.gaps')}</h2>
            {roster.gaps.length === 0 ? (
              <p class="muted">{t('roster.no_gaps')}</p>
            ) : (
              <ul class="mini-list" data-testid="roster-gaps">
                {roster.gaps.map((g) => (
                  <li key={g.date + g.shift}>
                    {g.date} {g.shift}: {t('roster.gap', { need: g.need, n: g.assigned })}
                  </li>
                ))}
              </ul>
            )}
            {roster.shortfalls.length > 0 && (
              <>
                <h2>{t('roster.shortfalls')}</h2>
                <ul class="mini-list" data-testid="roster-shortfalls">
                  {roster.shortfalls.slice(0, 50).map((x) => (
                    <li key={x.date + x.shift}>{x.message}</li>
                  ))}
                </ul>
              </>
            )}
            <h2>{t('roster.violations', { n: roster.violations.length })}</h2>
            <ul class="mini-list" data-testid="roster-violations">
              {roster.violations.slice(0, 50).map((v, i) => (
                <li key={i} class={v.hard ? 'hard' : 'soft'}>
                  <b>{v.rule}</b> {v.hard ? t('roster.hard') : t('roster.soft')} · {v.message}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </section>
  );
}

function cellLabel(c: string) {
  if (c === 'rest') return t('roster.rest_short');
  if (c === 'leave') return t('roster.leave_short');
  return tv('shiftabbr', c);
}
