// One ticket: its details and deadlines, the timeline with replies and
// internal notes told apart, and what can be done next: the state moves the
// server allows (`allowed_transitions`, T-6), transfer and accept (T-5),
// escalation (T-8), replies and notes (T-7).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, getAll, post, type EscalationLevel, type Me, type Ticket, type TicketEvent, type Transfer, type User } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { can, useCell, useEvents, useLatestLoad, userName, usersCell } from '../state';
import { toast } from '../session';
import { refreshTransfers, transfersCell } from '../transfers';
import { ComplaintPanel, isComplaint } from './complaints';
import { Countdown, Field, FormError, Icon, PriorityBadge, StatusBadge, errorText, fieldError, type Errors } from '../ui';

/** Roles whose people handle tickets (may be assigned or take one over). */
const HANDLERS = new Set(['agent', 'team_lead', 'supervisor', 'manager']);
const LEVELS: EscalationLevel[] = ['supervisor', 'manager', 'vp', 'gm'];

export function TicketPage(props: { me: Me; id: string }) {
  useLang();
  const { me, id } = props;
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [timeline, setTimeline] = useState<TicketEvent[]>([]);
  const [error, setError] = useState('');
  const begin = useLatestLoad();

  async function load() {
    const current = begin();
    try {
      const [tk, tl] = await Promise.all([get<Ticket>('/tickets/' + id), getAll<TicketEvent>('/tickets/' + id + '/timeline')]);
      if (!current()) return;
      setTicket(tk);
      setTimeline(tl);
      setError('');
    } catch (e) {
      if (current()) setError(errorText(e));
    }
  }
  useEffect(() => {
    setTicket(null);
    setTimeline([]);
    load();
  }, [id]);
  useEvents(
    (e) => {
      if (e.ticket_id === id) load();
    },
    [id],
  );

  if (error && !ticket) return <p class="page-msg form-error">{error}</p>;
  if (!ticket) return <p class="page-msg">{t('ticket.loading')}</p>;
  const tk = ticket;
  const writer = can(me, 'tickets.write');

  return (
    <article class="ticket-page" aria-labelledby="ticket-title">
      <header class="ticket-head">
        <div class="ticket-id">
          <span class="num" data-testid="ticket-number">{tk.number}</span>
          <StatusBadge status={tk.status} />
          <PriorityBadge priority={tk.priority} />
          <span class="type-tag">{tv('type', tk.type)}</span>
          {tk.overdue && <span class="badge st-overdue">{t('ticket.overdue')}</span>}
          {tk.escalated_to && (
            <span class="badge esc">
              {t('ticket.escalated_to')} {tv('role', tk.escalated_to)}
            </span>
          )}
        </div>
        <h1 id="ticket-title">{tk.subject}</h1>
      </header>
      <div class="ticket-grid">
        <div class="ticket-main">
          <TransferBanner me={me} ticket={tk} timeline={timeline} onChange={load} />
          <section class="card">
            <h2>{t('ticket.description')}</h2>
            <p class="prewrap">{tk.description}</p>
            {tk.product && Object.keys(tk.product).length > 0 && (
              <p class="muted">
                {t('ticket.product')}: {[tk.product.model, tk.product.spec, tk.product.purchased_on, tk.product.purchased_at].filter(Boolean).join(' · ')}
              </p>
            )}
          </section>
          {isComplaint(tk) && <ComplaintPanel me={me} ticket={tk} onDone={load} />}
          <section class="card">
            <h2>{t('ticket.timeline')}</h2>
            <ol class="timeline" data-testid="timeline">
              {timeline.map((e) => (
                <TimelineEntry key={e.id} e={e} />
              ))}
            </ol>
            {writer && tk.status !== 'closed' && <Composer ticket={tk} onDone={load} />}
          </section>
        </div>
        <aside class="ticket-side">
          <section class="card details">
            <dl>
              <dt>{t('ticket.customer')}</dt>
              <dd>
                <a href={'#/customers/' + tk.customer_id} data-testid="ticket-customer">
                  {tk.customer_name}
                </a>{' '}
                <span class="muted">{tk.customer.phone}</span> <span class="grade">{tk.customer.grade}</span>
              </dd>
              <dt>{t('ticket.owner')}</dt>
              <dd data-testid="ticket-owner">{userName(tk.owner_id)}</dd>
              <dt>{t('ticket.assignee')}</dt>
              <dd data-testid="ticket-assignee">{tk.assignee_id ? userName(tk.assignee_id) : <em>{t('ticket.unassigned')}</em>}</dd>
              <dt>{t('ticket.channel')}</dt>
              <dd>
                {tv('channel', tk.channel)}
                {tk.contact ? ' · ' + tk.contact : ''}
              </dd>
              <dt>{t('ticket.created')}</dt>
              <dd>{fmtTime(tk.created_at)}</dd>
            </dl>
          </section>
          <section class="card">
            <h2>{t('ticket.deadlines')}</h2>
            <ul class="deadlines">
              {tk.deadlines.map((d) => (
                <li key={d.kind}>
                  <span>
                    {tv('deadline', d.kind)} <small class="muted">{d.rule}</small>
                  </span>
                  <Countdown dueAt={d.due_at} metAt={d.met_at} overdue={!!d.overdue_at} />
                </li>
              ))}
            </ul>
          </section>
          {writer && <Moves me={me} ticket={tk} onDone={load} />}
          {writer && tk.status !== 'closed' && <TransferForm me={me} ticket={tk} timeline={timeline} onDone={load} />}
          {writer && tk.escalated_to !== 'gm' && <EscalateForm ticket={tk} onDone={load} />}
        </aside>
      </div>
    </article>
  );
}

function TimelineEntry(props: { e: TicketEvent }) {
  const { e } = props;
  const who = e.actor_name || t('tl.system');
  const d = e.detail as any;
  if (e.kind === 'reply' || e.kind === 'note') {
    const note = e.kind === 'note' || e.internal;
    return (
      <li class={note ? 'tl-msg tl-note' : 'tl-msg tl-reply'} data-kind={e.kind}>
        <div class="tl-meta">
          <strong>{who}</strong>
          <span class={note ? 'tag-note' : 'tag-reply'}><Icon name={note ? 'lock' : 'mail'} /> {note ? t('tl.note') : t('tl.reply')}</span>
          <time dateTime={e.at}>{fmtTime(e.at)}</time>
        </div>
        <p class="prewrap">{e.body}</p>
      </li>
    );
  }
  if (e.kind === 'customer_reply') {
    // T-7: the customer's own message from the portal.
    return (
      <li class="tl-msg tl-customer" data-kind={e.kind}>
        <div class="tl-meta">
          <strong>{t('tl.customer')}</strong>
          <span class="tag-customer">{t('tl.customer_reply')}</span>
          <time dateTime={e.at}>{fmtTime(e.at)}</time>
        </div>
        <p class="prewrap">{e.body}</p>
      </li>
    );
  }
  let text = '';
  switch (e.kind) {
    case 'created':
      text = t('tl.created');
      break;
    case 'status_changed': {
      text = d?.status ? t('tl.status_changed', { from: tv('status', d.status.before), to: tv('status', d.status.after) }) : e.kind;
      if (d?.assignee_id?.after) text += ' · ' + t('tl.assigned', { who: userName(String(d.assignee_id.after)) });
      break;
    }
    case 'updated': {
      const changes = d?.changes ? Object.keys(d.changes).join(', ') : '';
      text = t('tl.updated') + (changes ? ': ' + changes : '');
      break;
    }
    case 'transfer_requested':
      text = t('tl.transfer_requested', { to: userName(String(d?.to ?? '')) });
      break;
    case 'transfer_accepted':
      text = t('tl.transfer_accepted');
      break;
    case 'transfer_declined':
      text = t('tl.transfer_declined');
      break;
    case 'escalated':
      text = t('tl.escalated', { to: tv('role', d?.escalated_to?.after) }) + (d?.emergency ? t('tl.emergency') : '');
      break;
    case 'escalation_skip_notice':
      text = t('tl.escalation_skip_notice', { roles: (d?.notify_roles || []).map((r: string) => tv('role', r)).join('、') });
      break;
    case 'overdue':
      text = t('tl.overdue', { kind: tv('deadline', d?.deadline), rule: d?.rule ?? '' });
      break;
    default:
      text = tv('tlk', e.kind);
  }
  return (
    <li class={'tl-event' + (e.kind === 'overdue' ? ' tl-overdue' : '')} data-kind={e.kind}>
      <time dateTime={e.at}>{fmtTime(e.at)}</time> <strong>{who}</strong> {text}
      {e.body && <span class="tl-reason"> — {e.body}</span>}
    </li>
  );
}

function Composer(props: { ticket: Ticket; onDone: () => void }) {
  const [kind, setKind] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(ev?: Event) {
    ev?.preventDefault();
    if (!body.trim()) {
      setErrors({ body: t('err.required') });
      return;
    }
    setBusy(true);
    try {
      await post('/tickets/' + props.ticket.id + '/entries', { kind, body });
      setBody('');
      setErrors({});
      setFormErr('');
      props.onDone();
    } catch (e) {
      setFormErr(fieldError(e, ['body', 'kind'], setErrors, 'entry'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class={'composer composer-' + kind} onSubmit={send} noValidate>
      <div class="seg" role="radiogroup" aria-label={t('ticket.actions')}>
        <label class={kind === 'reply' ? 'on' : ''}>
          <input type="radio" name="kind" value="reply" checked={kind === 'reply'} onChange={() => setKind('reply')} />
          <Icon name="mail" /> {t('ticket.reply')}
        </label>
        <label class={kind === 'note' ? 'on' : ''}>
          <input type="radio" name="kind" value="note" checked={kind === 'note'} onChange={() => setKind('note')} />
          <Icon name="lock" /> {t('ticket.note')}
        </label>
      </div>
      <Field name="body" form="entry" label={kind === 'note' ? t('ticket.note') : t('ticket.reply')} errors={errors} hint={kind === 'note' ? t('ticket.note_hint') : t('ticket.reply_hint')}>
        {(a) => (
          <textarea
            {...a}
            rows={4}
            value={body}
            onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
            }}
          />
        )}
      </Field>
      <FormError text={formErr} />
      <div class="row-end">
        <small class="muted">{t('ticket.ctrl_enter')}</small>
        <button type="submit" class="primary" disabled={busy}>
          {kind === 'note' ? t('ticket.send_note') : t('ticket.send_reply')}
        </button>
      </div>
    </form>
  );
}

function Moves(props: { me: Me; ticket: Ticket; onDone: () => void }) {
  const { me, ticket } = props;
  const users = useCell(usersCell);
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState(me.id);
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  const assigner = can(me, 'tickets.assign');
  const handlers = [...users.values()].filter((u) => u.active && HANDLERS.has(u.role));

  async function move(to: string) {
    setBusy(true);
    try {
      const body: Record<string, unknown> = { to };
      if (to === 'assigned' && assigner && assignee !== me.id) body.assignee_id = assignee;
      if (reason.trim()) body.reason = reason.trim();
      await post('/tickets/' + ticket.id + '/transitions', body);
      setReason('');
      setErrors({});
      setFormErr('');
      props.onDone();
    } catch (e) {
      setFormErr(fieldError(e, ['reason', 'assignee_id'], setErrors, 'move'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby="moves-title">
      <h2 id="moves-title">{t('ticket.move')}</h2>
      {ticket.allowed_transitions.length === 0 ? (
        <p class="muted">{t('ticket.no_moves')}</p>
      ) : (
        <form class="moves" onSubmit={(e) => e.preventDefault()}>
          {ticket.allowed_transitions.includes('assigned') && assigner && (
            <Field name="assignee_id" form="move" label={t('ticket.assign_to')} errors={errors}>
              {(a) => (
                <select {...a} value={assignee} onChange={(e) => setAssignee((e.target as HTMLSelectElement).value)}>
                  {handlers.map((u) => (
                    <option value={u.id}>
                      {u.name}（{tv('role', u.role)}）
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field name="reason" form="move" label={t('ticket.reason')} errors={errors}>
            {(a) => <input {...a} value={reason} maxLength={2000} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />}
          </Field>
          <div class="move-buttons">
            {ticket.allowed_transitions.map((s) => (
              <button type="button" class="move" data-to={s} disabled={busy} onClick={() => move(s)}>
                {s === 'assigned' && !assigner ? t('ticket.assign_me') : t('ticket.move_to', { s: tv('status', s) })}
              </button>
            ))}
          </div>
          <FormError text={formErr} />
        </form>
      )}
    </section>
  );
}

/** The transfer waiting on this ticket, from its timeline. */
function pendingTransfer(timeline: TicketEvent[]): { id: string; to: string } | null {
  let p: { id: string; to: string } | null = null;
  for (const e of timeline) {
    const d = e.detail as any;
    if (e.kind === 'transfer_requested') p = { id: String(d.transfer_id), to: String(d.to) };
    else if ((e.kind === 'transfer_accepted' || e.kind === 'transfer_declined') && p && String(d.transfer_id) === p.id) p = null;
  }
  return p;
}

function TransferBanner(props: { me: Me; ticket: Ticket; timeline: TicketEvent[]; onChange: () => void }) {
  const offers = useCell(transfersCell);
  const offer: Transfer | undefined = offers.find((x) => x.ticket_id === props.ticket.id && x.status === 'pending');
  const waiting = pendingTransfer(props.timeline);
  const [err, setErr] = useState('');
  async function decide(what: 'accept' | 'decline') {
    try {
      await post('/transfers/' + offer!.id + '/' + what);
      setErr('');
      await refreshTransfers();
      props.onChange();
    } catch (e) {
      setErr(errorText(e));
    }
  }
  if (offer && offer.to_user_id === props.me.id)
    return (
      <div class="banner banner-offer" role="region" data-testid="transfer-offer">
        <p>{t('ticket.transfer_offer', { from: userName(offer.from_user_id), reason: offer.reason })}</p>
        <div>
          <button type="button" class="primary" onClick={() => decide('accept')}>
            {t('ticket.accept')}
          </button>{' '}
          <button type="button" onClick={() => decide('decline')}>
            {t('ticket.decline')}
          </button>
        </div>
        <FormError text={err} />
      </div>
    );
  if (waiting)
    return (
      <div class="banner" role="status" data-testid="transfer-waiting">
        {t('ticket.transfer_pending', { to: userName(waiting.to) })}
      </div>
    );
  return null;
}

function TransferForm(props: { me: Me; ticket: Ticket; timeline: TicketEvent[]; onDone: () => void }) {
  const users = useCell(usersCell);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  if (pendingTransfer(props.timeline)) return null;
  const candidates: User[] = [...users.values()].filter((u) => u.active && HANDLERS.has(u.role) && u.id !== props.ticket.owner_id);

  async function submit(ev: Event) {
    ev.preventDefault();
    const missing: Errors = {};
    if (!to) missing.to_user_id = t('err.required');
    else if (!reason.trim()) missing.reason = t('err.required');
    if (Object.keys(missing).length) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    try {
      await post('/tickets/' + props.ticket.id + '/transfers', { to_user_id: to, reason: reason.trim() });
      setTo('');
      setReason('');
      setErrors({});
      setFormErr('');
      toast(t('ticket.transfer_pending', { to: userName(to) }));
      props.onDone();
    } catch (e) {
      setFormErr(fieldError(e, ['to_user_id', 'reason'], setErrors, 'transfer'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('ticket.transfer')}</h2>
      <form onSubmit={submit} noValidate data-testid="transfer-form">
        <Field name="to_user_id" form="transfer" label={t('ticket.transfer_to')} errors={errors}>
          {(a) => (
            <select {...a} value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
              <option value="">{t('ticket.choose')}</option>
              {candidates.map((u) => (
                <option value={u.id} data-login={u.login}>
                  {u.name}（{tv('role', u.role)}）
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="reason" form="transfer" label={t('ticket.transfer_reason')} errors={errors}>
          {(a) => <input {...a} value={reason} maxLength={2000} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />}
        </Field>
        <FormError text={formErr} />
        <button type="submit" disabled={busy}>
          {t('ticket.transfer_send')}
        </button>
      </form>
    </section>
  );
}

function EscalateForm(props: { ticket: Ticket; onDone: () => void }) {
  const current = props.ticket.escalated_to ? LEVELS.indexOf(props.ticket.escalated_to) : -1;
  const above = LEVELS.slice(current + 1);
  const [to, setTo] = useState('');
  const [emergency, setEmergency] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(ev: Event) {
    ev.preventDefault();
    if (!reason.trim()) {
      setErrors({ reason: t('err.required') });
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = { reason: reason.trim() };
      if (to) body.to = to;
      if (emergency) body.emergency = true;
      await post('/tickets/' + props.ticket.id + '/escalations', body);
      setReason('');
      setTo('');
      setEmergency(false);
      setErrors({});
      setFormErr('');
      props.onDone();
    } catch (e) {
      if (e instanceof ApiError && e.rule === 'T-8' && e.code === 'rule_violated') setErrors({ emergency: errorText(e) });
      else setFormErr(fieldError(e, ['to', 'reason', 'emergency'], setErrors, 'esc'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby="esc-title">
      <h2 id="esc-title">{t('ticket.escalate')}</h2>
      <form onSubmit={submit} noValidate data-testid="escalate-form">
        <Field name="to" form="esc" label={t('ticket.escalate_to')} errors={errors}>
          {(a) => (
            <select {...a} value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
              <option value="">
                {t('ticket.escalate_next')}（{tv('role', above[0])}）
              </option>
              {above.slice(1).map((l) => (
                <option value={l}>{tv('role', l)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field name="emergency" form="esc" label="" errors={errors} class="check">
          {(a) => (
            <label class="checkbox">
              <input {...a} type="checkbox" checked={emergency} onChange={(e) => setEmergency((e.target as HTMLInputElement).checked)} /> {t('ticket.emergency')}
            </label>
          )}
        </Field>
        <Field name="reason" form="esc" label={t('ticket.escalate_reason')} errors={errors}>
          {(a) => <input {...a} value={reason} maxLength={2000} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />}
        </Field>
        <FormError text={formErr} />
        <button type="submit" disabled={busy}>
          {t('ticket.escalate_send')}
        </button>
      </form>
    </section>
  );
}
