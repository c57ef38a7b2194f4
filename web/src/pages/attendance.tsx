// Attendance (W-15, W-18): the clock-in and clock-out widget and a month of
// the signed-in person's attendance, each shift classified by the server
// (src/rules/attendance.c). Clock-out may be refused by W-16 until the
// handover is confirmed: the server's message is shown as it is.
import { useEffect, useState } from 'preact/hooks';
import { get, post, type AttendanceMonth, type ClockAnswer, type Me } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { FormError, errorText } from '../ui';

/** YYYY-MM of an instant in the organisation's zone (Asia/Shanghai, P-3). */
export function monthOf(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date(ms)).slice(0, 7);
}

/** The open clock session of a month, if any: the last clock-in without a clock-out. */
function openSince(m: AttendanceMonth | null): string | null {
  if (!m) return null;
  let last: { in: string; out: string | null } | null = null;
  for (const d of m.days) {
    for (const s of d.shifts) if (s.clock_in && (!last || s.clock_in > last.in)) last = { in: s.clock_in, out: s.clock_out };
    for (const u of d.unscheduled) if (!last || u.clock_in > last.in) last = { in: u.clock_in, out: u.clock_out };
  }
  return last && !last.out ? last.in : null;
}

/** Clock in and out; `onChange` is told after each punch. */
export function ClockWidget(props: { onChange?: () => void }) {
  useLang();
  const [month, setMonth] = useState<AttendanceMonth | null>(null);
  const [waiting, setWaiting] = useState('');
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const load = () =>
    get<AttendanceMonth>('/attendance', { month: monthOf(Date.now()) })
      .then(setMonth)
      .catch(() => setMonth(null));
  useEffect(() => {
    load();
  }, []);
  const since = openSince(month);

  async function punch(what: 'clock-in' | 'clock-out') {
    setErr('');
    setMsg('');
    try {
      const body = what === 'clock-out' && waiting !== '' ? { customers_waiting: Number(waiting) } : {};
      const a = await post<ClockAnswer>('/attendance/' + what, body);
      const shift = a.shift?.name ? tv('shift', a.shift.name) : t('clock.no_shift');
      const parts = [a.clocked_in ? t('clock.done_in', { shift }) : t('clock.done_out')];
      if (a.clocked_in && a.late_minutes) parts.push(t('clock.late', { n: a.late_minutes }));
      if (a.absence) parts.push(t('clock.absence'));
      if (!a.clocked_in && a.early_leave_minutes) parts.push(t('att.early_min', { n: a.early_leave_minutes }));
      if (a.extended) parts.push(t('clock.overtime', { n: a.overtime_minutes }));
      setMsg(parts.join('；'));
      setWaiting('');
    } catch (e) {
      setErr(errorText(e));
    }
    await load();
    props.onChange?.();
  }

  return (
    <section class="card clock" data-testid="clock">
      <h2>{t('clock.title')}</h2>
      <p data-testid="clock-state">{since ? t('clock.state_in', { t: fmtTime(since) }) : t('clock.state_out')}</p>
      {since ? (
        <div class="clock-row">
          <label for="clock-waiting">{t('clock.waiting')}</label>
          <input id="clock-waiting" type="number" min="0" value={waiting} onInput={(e) => setWaiting((e.target as HTMLInputElement).value)} />
          <button type="button" class="primary" data-testid="clock-out" onClick={() => punch('clock-out')}>
            {t('clock.out')}
          </button>
        </div>
      ) : (
        <button type="button" class="primary" data-testid="clock-in" onClick={() => punch('clock-in')}>
          {t('clock.in')}
        </button>
      )}
      {msg && <p class="ok-msg" role="status" data-testid="clock-msg">{msg}</p>}
      <FormError text={err} />
    </section>
  );
}

function details(s: AttendanceMonth['days'][number]['shifts'][number]): string {
  const p: string[] = [];
  if (s.late_minutes) p.push(t('att.late_min', { n: s.late_minutes }));
  if (s.early_leave_minutes) p.push(t('att.early_min', { n: s.early_leave_minutes }));
  if (s.away_minutes) p.push(t('att.away_min', { n: s.away_minutes }));
  if (s.overtime_minutes) p.push(t('att.overtime_min', { n: s.overtime_minutes }));
  const m = s.missed_swap;
  if (m) p.push(t('att.missed_swap', { who: m.taken_from_name }) + (m.fine_fen ? ' ' + t('att.swap_fine', { n: m.fine_fen / 100 }) : ''));
  return p.join('，');
}

export function AttendancePage(_props: { me: Me }) {
  useLang();
  const [month, setMonth] = useState(monthOf(Date.now()));
  const [data, setData] = useState<AttendanceMonth | null>(null);
  const [err, setErr] = useState('');
  const load = () =>
    get<AttendanceMonth>('/attendance', { month })
      .then((m) => {
        setData(m);
        setErr('');
      })
      .catch((e) => setErr(errorText(e)));
  useEffect(() => {
    load();
  }, [month]);

  return (
    <section class="attendance-page">
      <h1>{t('att.title')}</h1>
      <ClockWidget onChange={load} />
      <section class="card">
        <label for="att-month">{t('att.month')}</label>{' '}
        <input id="att-month" type="month" value={month} onInput={(e) => setMonth((e.target as HTMLInputElement).value)} />
        <FormError text={err} />
        {data && (
          <p data-testid="att-summary">
            <b>{data.summary.full_attendance ? t('att.full') : t('att.not_full')}</b>{' '}
            {t('att.summary', {
              late: data.summary.late + data.summary.early_leave, absence: data.summary.absence,
              absenteeism: data.summary.absenteeism, ot: data.summary.overtime_minutes,
            })}
          </p>
        )}
        {data && data.days.length === 0 && <p class="muted">{t('att.none')}</p>}
        {data && data.days.length > 0 && (
          <table class="att" data-testid="att-table">
            <thead>
              <tr>
                <th>{t('att.date')}</th>
                <th>{t('att.shift')}</th>
                <th>{t('att.status')}</th>
                <th>{t('att.in')}</th>
                <th>{t('att.out')}</th>
                <th>{t('att.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {data.days.map((d) => [
                ...d.shifts.map((s) => (
                  <tr key={d.date + s.start} class={'att-' + s.status}>
                    <td>{d.date}</td>
                    <td>{s.name ? tv('shift', s.name) : ''}</td>
                    <td><span class={'badge att-' + s.status}>{tv('attst', s.status)}</span></td>
                    <td>{fmtTime(s.clock_in)}</td>
                    <td>{fmtTime(s.clock_out)}</td>
                    <td>{details(s)}</td>
                  </tr>
                )),
                ...d.unscheduled.map((u) => (
                  <tr key={d.date + u.clock_in}>
                    <td>{d.date}</td>
                    <td>{t('att.unscheduled')}</td>
                    <td />
                    <td>{fmtTime(u.clock_in)}</td>
                    <td>{fmtTime(u.clock_out)}</td>
                    <td />
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
