// Leave (W-7 … W-12) and swaps (W-13): the forms to ask, my requests, and
// the inboxes of what awaits my decision (a supervisor's or manager's level
// for leave, W-9; the other person, a supervisor or a team lead for swaps).
// Refusals show the API's message with the rule (W-11, W-13 …).
import { useEffect, useState } from 'preact/hooks';
import { getAll, post, put, type LeaveRequest, type Me, type SwapRequest } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { can, useEvents, userName, usersCell, useCell } from '../state';
import { Field, FormError, fieldError, type Errors } from '../ui';

const TYPES = ['personal', 'sick', 'marriage', 'maternity', 'bereavement', 'compensatory', 'annual', 'work_injury'];

/** A datetime-local value as an RFC 3339 instant (the browser's zone). */
function instant(v: string): string {
  return v ? new Date(v).toISOString() : '';
}

export function LeavePage(props: { me: Me }) {
  useLang();
  const { me } = props;
  const users = useCell(usersCell);
  const decider = can(me, 'leave.decide');
  const [mine, setMine] = useState<LeaveRequest[]>([]);
  const [inbox, setInbox] = useState<LeaveRequest[]>([]);
  const [swaps, setSwaps] = useState<SwapRequest[]>([]);
  const [swapInbox, setSwapInbox] = useState<SwapRequest[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [swapErrors, setSwapErrors] = useState<Errors>({});
  const [err, setErr] = useState('');
  const [swapErr, setSwapErr] = useState('');
  const [boxErr, setBoxErr] = useState('');
  const [form, setForm] = useState({ type: 'personal', start: '', end: '', reason: '', special: false });
  const [swap, setSwap] = useState({ with_user_id: '', date: '', shift: 'early' });
  const [wish, setWish] = useState({ month: '', days_off: '', preferred_shift: '' });
  const [wishErrors, setWishErrors] = useState<Errors>({});
  const [wishMsg, setWishMsg] = useState('');

  const load = () => {
    getAll<LeaveRequest>('/leave-requests', {}, 200).then(setMine).catch(() => setMine([]));
    if (decider) getAll<LeaveRequest>('/leave-requests', { scope: 'inbox' }, 200).then(setInbox).catch(() => setInbox([]));
    getAll<SwapRequest>('/swap-requests', {}, 200).then(setSwaps).catch(() => setSwaps([]));
    getAll<SwapRequest>('/swap-requests', { scope: 'inbox' }, 200).then(setSwapInbox).catch(() => setSwapInbox([]));
  };
  useEffect(load, []);
  useEvents((e) => {
    if (e.kind.startsWith('leave.') || e.kind.startsWith('swap.')) load();
  });

  async function submitLeave(ev: Event) {
    ev.preventDefault();
    try {
      await post('/leave-requests', { ...form, start: instant(form.start), end: instant(form.end) });
      setErrors({});
      setErr('');
      setForm({ ...form, reason: '' });
      load();
    } catch (e) {
      setErr(fieldError(e, ['type', 'start', 'end', 'reason'], setErrors, 'leave'));
    }
  }
  async function submitSwap(ev: Event) {
    ev.preventDefault();
    try {
      await post('/swap-requests', swap);
      setSwapErrors({});
      setSwapErr('');
      load();
    } catch (e) {
      setSwapErr(fieldError(e, ['with_user_id', 'date', 'shift'], setSwapErrors, 'swap'));
    }
  }
  async function submitWish(ev: Event) {
    ev.preventDefault();
    try {
      const days = wish.days_off.split(/[\s,，、]+/).filter(Boolean);
      await put('/rosters/' + wish.month + '/wishes', { days_off: days, preferred_shift: wish.preferred_shift || null });
      setWishErrors({});
      setWishMsg(t('wish.saved'));
    } catch (e) {
      setWishMsg(fieldError(e, ['month', 'days_off', 'preferred_shift'], setWishErrors, 'wish'));
    }
  }
  async function decide(path: string, decision: 'approve' | 'reject') {
    try {
      await post(path, { decision });
      setBoxErr('');
    } catch (e) {
      setBoxErr(fieldError(e, [], () => undefined));
    }
    load();
  }

  const colleagues = [...users.values()].filter((u) => u.id !== me.id && u.active && (u.role === 'agent' || u.role === 'team_lead'));
  return (
    <section class="leave-page">
      <h1>{t('leave.title')}</h1>
      <div class="two-col">
        <form class="card" onSubmit={submitLeave} data-testid="leave-form">
          <h2>{t('leave.new')}</h2>
          <Field name="type" label={t('leave.type')} errors={errors} form="leave">
            {(a) => (
              <select {...a} value={form.type} onChange={(e) => setForm({ ...form, type: (e.target as HTMLSelectElement).value })}>
                {TYPES.map((x) => (
                  <option key={x} value={x}>
                    {tv('leave_type', x)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="start" label={t('leave.start')} errors={errors} form="leave">
            {(a) => <input {...a} type="datetime-local" value={form.start} onInput={(e) => setForm({ ...form, start: (e.target as HTMLInputElement).value })} />}
          </Field>
          <Field name="end" label={t('leave.end')} errors={errors} form="leave">
            {(a) => <input {...a} type="datetime-local" value={form.end} onInput={(e) => setForm({ ...form, end: (e.target as HTMLInputElement).value })} />}
          </Field>
          <Field name="reason" label={t('leave.reason')} errors={errors} form="leave">
            {(a) => <textarea {...a} rows={2} value={form.reason} onInput={(e) => setForm({ ...form, reason: (e.target as HTMLTextAreaElement).value })} />}
          </Field>
          <label class="check">
            <input type="checkbox" checked={form.special} onChange={(e) => setForm({ ...form, special: (e.target as HTMLInputElement).checked })} /> {t('leave.special')}
          </label>
          <FormError text={err} />
          <button type="submit" class="primary">
            {t('leave.submit')}
          </button>
        </form>
        <form class="card" onSubmit={submitSwap} data-testid="swap-form">
          <h2>{t('swap.new')}</h2>
          <Field name="with_user_id" label={t('swap.with')} errors={swapErrors} form="swap">
            {(a) => (
              <select {...a} value={swap.with_user_id} onChange={(e) => setSwap({ ...swap, with_user_id: (e.target as HTMLSelectElement).value })}>
                <option value="">—</option>
                {colleagues.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="date" label={t('swap.date')} errors={swapErrors} form="swap">
            {(a) => <input {...a} type="date" value={swap.date} onInput={(e) => setSwap({ ...swap, date: (e.target as HTMLInputElement).value })} />}
          </Field>
          <Field name="shift" label={t('swap.shift')} errors={swapErrors} form="swap">
            {(a) => <input {...a} value={swap.shift} onInput={(e) => setSwap({ ...swap, shift: (e.target as HTMLInputElement).value })} />}
          </Field>
          <FormError text={swapErr} />
          <button type="submit" class="primary">
            {t('swap.submit')}
          </button>
        </form>
        <form class="card" onSubmit={submitWish} data-testid="wish-form">
          <h2>{t('wish.title')}</h2>
          <Field name="month" label={t('roster.month')} errors={wishErrors} form="wish">
            {(a) => <input {...a} type="month" value={wish.month} onInput={(e) => setWish({ ...wish, month: (e.target as HTMLInputElement).value })} />}
          </Field>
          <Field name="days_off" label={t('wish.days_off')} errors={wishErrors} form="wish" hint={t('wish.days_hint')}>
            {(a) => <input {...a} value={wish.days_off} onInput={(e) => setWish({ ...wish, days_off: (e.target as HTMLInputElement).value })} />}
          </Field>
          <Field name="preferred_shift" label={t('wish.preferred')} errors={wishErrors} form="wish">
            {(a) => <input {...a} value={wish.preferred_shift} onInput={(e) => setWish({ ...wish, preferred_shift: (e.target as HTMLInputElement).value })} />}
          </Field>
          <p class="muted" role="status">{wishMsg}</p>
          <button type="submit">{t('wish.submit')}</button>
        </form>
      </div>
      <FormError text={boxErr} />
      {decider && (
        <section class="card">
          <h2>{t('leave.inbox')}</h2>
          {inbox.length === 0 ? (
            <p class="muted">{t('leave.none')}</p>
          ) : (
            <ul class="mini-list" data-testid="leave-inbox">
              {inbox.map((l) => (
                <li key={l.id} data-id={l.id}>
                  <b>{l.user_name ?? userName(l.user_id)}</b> {tv('leave_type', l.type)} · {fmtTime(l.start)} – {fmtTime(l.end)} ·{' '}
                  {t('leave.days', { n: l.days })} · {l.reason}
                  {l.late_notice && <span class="badge hot">{t('leave.late_notice')}</span>}
                  <Decide path={'/leave-requests/' + l.id + '/decisions'} decide={decide} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section class="card">
        <h2>{t('swap.inbox')}</h2>
        {swapInbox.length === 0 ? (
          <p class="muted">{t('leave.none')}</p>
        ) : (
          <ul class="mini-list" data-testid="swap-inbox">
            {swapInbox.map((s) => (
              <li key={s.id}>
                {t('swap.line', { a: s.requester_name ?? '', b: s.with_user_name ?? '', d: s.date, s: s.shift, w: s.with_shift ?? t('roster.rest') })}
                <Decide path={'/swap-requests/' + s.id + '/decisions'} decide={decide} agree={s.with_user_id === me.id} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card">
        <h2>{t('leave.mine')}</h2>
        <ul class="mini-list" data-testid="leave-mine">
          {mine.map((l) => (
            <li key={l.id}>
              {tv('leave_type', l.type)} · {fmtTime(l.start)} – {fmtTime(l.end)} · {t('leave.days', { n: l.days })}{' '}
              <span class={'badge lv-' + l.status}>{tv('request_status', l.status)}</span>
              {l.awaiting && <span class="muted"> {t('leave.awaiting', { who: tv('role', l.awaiting) })}</span>}
            </li>
          ))}
          {swaps.map((s) => (
            <li key={'s' + s.id}>
              {t('swap.line', { a: s.requester_name ?? '', b: s.with_user_name ?? '', d: s.date, s: s.shift, w: s.with_shift ?? t('roster.rest') })}{' '}
              <span class={'badge lv-' + s.status}>{tv('request_status', s.status)}</span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}

/** Approve and reject buttons for a request's decisions path; agree: the
 * other person of a swap, who agrees or declines (W-13). */
function Decide(props: { path: string; decide: (path: string, d: 'approve' | 'reject') => void; agree?: boolean }) {
  return (
    <span class="actions">
      <button type="button" class="primary" onClick={() => props.decide(props.path, 'approve')}>
        {props.agree ? t('swap.agree') : t('leave.approve')}
      </button>
      <button type="button" onClick={() => props.decide(props.path, 'reject')}>
        {props.agree ? t('swap.decline') : t('leave.reject')}
      </button>
    </span>
  );
}
