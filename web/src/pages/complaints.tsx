// Complaints (SPEC K) in the console: the complaint form on a complaint
// ticket (K-1 … K-3), its resolutions with the approver each needs (K-4,
// K-5), the customer's answer and the chain of linked complaints (K-6); the
// approvals inbox of the manager, VP and GM (K-5); the monthly review of last
// month's closed complaints (K-8) with the fines K-9 proposed.
import { useEffect, useState } from 'preact/hooks';
import { get, getAll, patch, post, yuan, type ComplaintForm, type Me, type Resolution, type Ticket } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { can, navigate, useCell, useEvents, userName, usersCell } from '../state';
import { toast } from '../session';
import { Field, FormError, StatusBadge, errorText, fieldError, type Errors } from '../ui';

export type ComplaintTicket = Ticket & { complaint: ComplaintForm | null; parent_id: string | null };

const CAUSES = ['quality', 'non_quality'];
const NQ = ['transport', 'handling', 'service_attitude', 'other'];
const SEVERITIES = ['general', 'major', 'crisis'];
const KINDS = ['explanation', 'compensation', 'discount', 'return', 'rework', 'not_upheld'];
const AMOUNT_KINDS = new Set(['compensation', 'discount']);
const QTY_KINDS = new Set(['return', 'rework']);
/** K-5: the approval ladder; a higher role may approve what a lower must. */
const RANK: Record<string, number> = { manager: 1, vp: 2, gm: 3 };
export const APPROVER_ROLES = new Set(Object.keys(RANK));
export function mayApprove(me: Me, required: string | null) {
  return !!required && (RANK[me.role] ?? 0) >= (RANK[required] ?? 99);
}

/** Yuan typed by a person as fen, or the text itself when it is not a
 * number (the server then names the field). */
function toFen(s: string): number | string {
  const v = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(v) ? Math.round(v * 100) : s;
}

function opt(s: string) {
  return s.trim() === '' ? null : s.trim();
}

export function ComplaintPanel(props: { me: Me; ticket: ComplaintTicket; onDone: () => void }) {
  const { me, ticket } = props;
  const c = ticket.complaint;
  const writer = can(me, 'tickets.write') && ticket.status !== 'closed';
  return (
    <>
      <ComplaintFormCard me={me} ticket={ticket} writer={writer} onDone={props.onDone} />
      {c && c.chain.length > 1 && <ChainCard ticket={ticket} chain={c.chain} />}
      <ResolutionsCard me={me} ticket={ticket} writer={can(me, 'tickets.write')} onDone={props.onDone} />
    </>
  );
}

function ComplaintFormCard(props: { me: Me; ticket: ComplaintTicket; writer: boolean; onDone: () => void }) {
  const c = props.ticket.complaint;
  const users = useCell(usersCell);
  const init = () => ({
    cause: c?.cause ?? '',
    non_quality_kind: c?.non_quality_kind ?? '',
    severity: c?.severity ?? '',
    service_caused: c?.service_caused ?? false,
    responsible_user_id: c?.responsible_user_id ?? '',
    responsible_department: c?.responsible_department ?? '',
    investigation: c?.investigation ?? '',
    order_no: c?.order_no ?? '',
    batch: c?.batch ?? '',
    delivered_on: c?.delivered_on ?? '',
    defective_qty: c?.defective_qty === null || c?.defective_qty === undefined ? '' : String(c.defective_qty),
  });
  const [f, setF] = useState(init);
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setF(init()), [props.ticket.id, props.ticket.version]);
  const set = (k: keyof ReturnType<typeof init>) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setF({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const staff = [...users.values()].filter((u) => u.active);
  const FIELDS = ['cause', 'non_quality_kind', 'severity', 'service_caused', 'responsible_user_id', 'responsible_department',
    'investigation', 'order_no', 'batch', 'delivered_on', 'defective_qty'].map((k) => 'complaint.' + k);

  async function save(ev: Event) {
    ev.preventDefault();
    const missing: Errors = {};
    if (!f.cause) missing['complaint.cause'] = t('err.required');
    if (!f.severity) missing['complaint.severity'] = t('err.required');
    if (Object.keys(missing).length) {
      setErrors(missing);
      return;
    }
    const qty = f.defective_qty.trim();
    const body = {
      cause: f.cause,
      non_quality_kind: f.cause === 'non_quality' ? opt(f.non_quality_kind) : null,
      severity: f.severity,
      service_caused: f.service_caused,
      responsible_user_id: opt(f.responsible_user_id),
      responsible_department: opt(f.responsible_department),
      investigation: opt(f.investigation),
      order_no: opt(f.order_no),
      batch: opt(f.batch),
      delivered_on: opt(f.delivered_on),
      defective_qty: qty === '' ? null : /^\d+$/.test(qty) ? Number(qty) : qty,
    };
    setBusy(true);
    try {
      await patch('/tickets/' + props.ticket.id, { complaint: body });
      setErrors({});
      setFormErr('');
      toast(t('complaint.saved'));
      props.onDone();
    } catch (e) {
      setFormErr(fieldError(e, FIELDS, setErrors, 'cf'));
    } finally {
      setBusy(false);
    }
  }
  const sel = (name: string, values: string[], group: string, value: string) => (
    <Field name={'complaint.' + name} form="cf" label={t(('complaint.' + (name === 'non_quality_kind' ? 'nq_kind' : name)) as any)} errors={errors}>
      {(a) => (
        <select {...a} value={value} disabled={!props.writer} onChange={set(name as any)}>
          <option value="">{t('complaint.choose')}</option>
          {values.map((v) => (
            <option value={v}>{tv(group, v)}</option>
          ))}
        </select>
      )}
    </Field>
  );
  const text = (name: string, label: string, type = 'text') => (
    <Field name={'complaint.' + name} form="cf" label={label} errors={errors}>
      {(a) => <input {...a} type={type} value={(f as any)[name]} disabled={!props.writer} onInput={set(name as any)} />}
    </Field>
  );
  return (
    <section class="card" aria-labelledby="cf-title">
      <h2 id="cf-title">{t('complaint.form')}</h2>
      <form class="grid-form" onSubmit={save} noValidate data-testid="complaint-form">
        {sel('cause', CAUSES, 'cause', f.cause)}
        {f.cause === 'non_quality' && sel('non_quality_kind', NQ, 'nq', f.non_quality_kind)}
        {sel('severity', SEVERITIES, 'severity', f.severity)}
        <Field name="complaint.service_caused" form="cf" label="" errors={errors} class="check">
          {(a) => (
            <label class="checkbox">
              <input {...a} type="checkbox" checked={f.service_caused} disabled={!props.writer} onChange={set('service_caused')} /> {t('complaint.service_caused')}
            </label>
          )}
        </Field>
        <Field name="complaint.responsible_user_id" form="cf" label={t('complaint.responsible_user')} errors={errors}>
          {(a) => (
            <select {...a} value={f.responsible_user_id} disabled={!props.writer} onChange={set('responsible_user_id')}>
              <option value="">{t('complaint.none')}</option>
              {staff.map((u) => (
                <option value={u.id}>
                  {u.name}（{tv('role', u.role)}）
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('responsible_department', t('complaint.responsible_department'))}
        {text('order_no', t('complaint.order_no'))}
        {text('batch', t('complaint.batch'))}
        {text('delivered_on', t('complaint.delivered_on'), 'date')}
        {text('defective_qty', t('complaint.defective_qty'))}
        <Field name="complaint.investigation" form="cf" label={t('complaint.investigation')} errors={errors} class="span">
          {(a) => <textarea {...a} rows={3} value={f.investigation} disabled={!props.writer} onInput={set('investigation')} />}
        </Field>
        <FormError text={formErr} />
        {props.writer && (
          <div class="row-end span">
            <button type="submit" class="primary" disabled={busy}>
              {t('complaint.save')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function ChainCard(props: { ticket: ComplaintTicket; chain: ComplaintForm['chain'] }) {
  return (
    <section class="card" aria-labelledby="chain-title">
      <h2 id="chain-title">{t('complaint.chain')}</h2>
      <p class="muted">{t('complaint.chain_hint')}</p>
      <ol class="chain" data-testid="complaint-chain">
        {props.chain.map((x) => (
          <li key={x.id} class={x.id === props.ticket.id ? 'current' : ''}>
            {x.id === props.ticket.id ? <strong>{x.number}</strong> : <a href={'#/tickets/' + x.id}>{x.number}</a>} <StatusBadge status={x.status} />
            {x.id === props.ticket.id && <small class="muted"> ({t('complaint.this')})</small>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One resolution: what it is, who must approve it, what happened. */
export function ResolutionLine(props: { r: Resolution; showTicket?: boolean }) {
  const { r } = props;
  return (
    <div class="res-line">
      {props.showTicket && (
        <a href={'#/tickets/' + r.ticket_id} class="num">
          {r.ticket_number}
        </a>
      )}{' '}
      <strong>{tv('reskind', r.kind)}</strong>
      {r.amount_fen !== null && <span> · {t('res.amount_fen', { y: yuan(r.amount_fen) })}</span>}
      {r.quantity !== null && <span> · {t('res.quantity')} {r.quantity}</span>}{' '}
      <span class={'badge res-' + r.status} data-testid="res-status">
        {tv('resstatus', r.status)}
      </span>{' '}
      <span class="muted" data-testid="res-approver">
        {r.required_approver_role ? t('res.required', { role: tv('role', r.required_approver_role) }) : t('res.no_approval')}
      </span>
      <p class="prewrap">{r.summary}</p>
      {r.decided_by && (
        <p class="muted">
          {t('res.decided', { who: userName(r.decided_by), role: tv('role', r.decided_role || ''), status: tv('resstatus', r.status === 'rejected' ? 'rejected' : 'approved') })}{' '}
          {fmtTime(r.decided_at)}
          {r.decision_comment ? ' — ' + r.decision_comment : ''}
        </p>
      )}
      {r.follow_up_ticket_id && (
        <p>
          <a href={'#/tickets/' + r.follow_up_ticket_id} data-testid="follow-up">
            {t('res.follow_up', { n: '→' })}
          </a>
        </p>
      )}
    </div>
  );
}

/** Approve or reject, with a comment (K-5). */
export function DecideButtons(props: { r: Resolution; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  async function decide(decision: 'approve' | 'reject') {
    setBusy(true);
    try {
      await post('/resolutions/' + props.r.id + '/decisions', { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setErr('');
      props.onDone();
    } catch (e) {
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="decide" data-testid={'decide-' + props.r.id}>
      <input aria-label={t('res.comment')} placeholder={t('res.comment')} value={comment} maxLength={2000} onInput={(e) => setComment((e.target as HTMLInputElement).value)} />
      <button type="button" class="primary" disabled={busy} data-action="approve" onClick={() => decide('approve')}>
        {t('res.approve')}
      </button>
      <button type="button" disabled={busy} data-action="reject" onClick={() => decide('reject')}>
        {t('res.reject')}
      </button>
      <FormError text={err} />
    </div>
  );
}

function ResolutionsCard(props: { me: Me; ticket: ComplaintTicket; writer: boolean; onDone: () => void }) {
  const { me, ticket } = props;
  const list = ticket.complaint?.resolutions ?? [];
  const busyOne = list.find((r) => r.status === 'pending_approval' || r.status === 'approved' || r.status === 'sent');
  const [err, setErr] = useState('');
  async function act(path: string, body: unknown, then?: (x: any) => void) {
    try {
      const x = await post<any>(path, body);
      setErr('');
      if (then) then(x);
      else props.onDone();
    } catch (e) {
      setErr(errorText(e));
    }
  }
  return (
    <section class="card" aria-labelledby="res-title">
      <h2 id="res-title">{t('complaint.resolutions')}</h2>
      {list.length === 0 && <p class="muted">{t('complaint.no_resolutions')}</p>}
      <ol class="resolutions" data-testid="resolutions">
        {list.map((r) => (
          <li key={r.id} data-id={r.id} data-status={r.status}>
            <ResolutionLine r={r} />
            {r.status === 'pending_approval' && mayApprove(me, r.required_approver_role) && props.writer && <DecideButtons r={r} onDone={props.onDone} />}
            {r.status === 'approved' && props.writer && ticket.status !== 'closed' && (
              <button type="button" class="primary" data-action="send" onClick={() => act('/resolutions/' + r.id + '/send', {})}>
                {t('res.send')}
              </button>
            )}
            {r.status === 'sent' && props.writer && (
              <div class="customer-answer" data-testid="customer-answer">
                <span>{t('res.customer')}：</span>
                <button type="button" data-action="accepted" onClick={() => act('/tickets/' + ticket.id + '/customer-responses', { accepted: true })}>
                  {t('res.accepted')}
                </button>{' '}
                <button
                  type="button"
                  data-action="refused"
                  onClick={() =>
                    act('/tickets/' + ticket.id + '/customer-responses', { accepted: false }, (nt: Ticket) => {
                      toast(t('res.follow_up', { n: nt.number }), '/tickets/' + nt.id);
                      navigate('/tickets/' + nt.id);
                    })
                  }
                >
                  {t('res.refused')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      <FormError text={err} />
      {props.writer && ticket.status !== 'closed' && !busyOne && <ProposeForm ticket={ticket} onDone={props.onDone} />}
    </section>
  );
}

function ProposeForm(props: { ticket: ComplaintTicket; onDone: () => void }) {
  const [kind, setKind] = useState('explanation');
  const [amount, setAmount] = useState('');
  const [qty, setQty] = useState('');
  const [summary, setSummary] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(ev: Event) {
    ev.preventDefault();
    const body: Record<string, unknown> = { kind, summary };
    if (AMOUNT_KINDS.has(kind)) body.amount_fen = toFen(amount);
    if (QTY_KINDS.has(kind)) body.quantity = /^\d+$/.test(qty.trim()) ? Number(qty) : qty;
    setBusy(true);
    try {
      await post('/tickets/' + props.ticket.id + '/resolutions', body);
      setAmount('');
      setQty('');
      setSummary('');
      setErrors({});
      setFormErr('');
      props.onDone();
    } catch (e) {
      setFormErr(fieldError(e, ['kind', 'amount_fen', 'quantity', 'summary'], setErrors, 'res'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="grid-form" onSubmit={submit} noValidate data-testid="propose-form">
      <Field name="kind" form="res" label={t('res.kind')} errors={errors}>
        {(a) => (
          <select {...a} value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {KINDS.map((k) => (
              <option value={k}>{tv('reskind', k)}</option>
            ))}
          </select>
        )}
      </Field>
      {AMOUNT_KINDS.has(kind) && (
        <Field name="amount_fen" form="res" label={t('res.amount')} errors={errors}>
          {(a) => <input {...a} inputMode="decimal" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />}
        </Field>
      )}
      {QTY_KINDS.has(kind) && (
        <Field name="quantity" form="res" label={t('res.quantity')} errors={errors}>
          {(a) => <input {...a} inputMode="numeric" value={qty} onInput={(e) => setQty((e.target as HTMLInputElement).value)} />}
        </Field>
      )}
      <Field name="summary" form="res" label={t('res.summary')} errors={errors} class="span">
        {(a) => <textarea {...a} rows={2} value={summary} onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)} />}
      </Field>
      <FormError text={formErr} />
      <div class="row-end span">
        <button type="submit" class="primary" disabled={busy}>
          {t('res.propose')}
        </button>
      </div>
    </form>
  );
}

// ---- K-5: the approvals inbox ----

export function ApprovalsPage(props: { me: Me }) {
  useLang();
  const [items, setItems] = useState<Resolution[] | null>(null);
  const [err, setErr] = useState('');
  async function load() {
    try {
      setItems(await getAll<Resolution>('/resolutions', { decidable: true }));
      setErr('');
    } catch (e) {
      setErr(errorText(e));
    }
  }
  useEffect(() => {
    load();
  }, []);
  useEvents((e) => {
    if (e.kind.startsWith('complaint.') || e.kind === 'inbox.new') load();
  });
  return (
    <section class="card wide" aria-labelledby="appr-title">
      <h1 id="appr-title">{t('approvals.title')}</h1>
      <FormError text={err} />
      {items === null ? (
        <p class="muted">{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t('approvals.empty')}</p>
      ) : (
        <ul class="approvals" data-testid="approvals">
          {items.map((r) => (
            <li key={r.id} data-id={r.id} data-ticket={r.ticket_number}>
              <ResolutionLine r={r} showTicket />
              {can(props.me, 'tickets.write') && <DecideButtons r={r} onDone={load} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---- K-8: the monthly review ----

interface ReviewItem {
  ticket_id: string;
  number: string;
  subject: string;
  closed_at: string;
  cause: string | null;
  severity: string | null;
  service_caused: boolean;
  responsible_user_id: string | null;
  responsible_name: string | null;
  responsible_department: string | null;
  resolution: { id: string; kind: string; status: string; amount_fen: number | null } | null;
  upheld: boolean;
  proposed_fines: { user_id: string; user_name: string; role: string; occurrence: number; fine_fen: number; propose_dismissal: boolean }[];
  decision: { sanction: string; fine_fen: number | null; comment: string | null } | null;
}
interface Review {
  month: string;
  opens_on: string;
  due_before: string;
  state: 'open' | 'overdue' | 'reviewed';
  overdue: boolean;
  review: { reviewed_by: string; reviewer_name: string; reviewed_at: string; comment: string | null } | null;
  items: ReviewItem[];
}
const SANCTIONS = ['none', 'warning', 'public_criticism', 'minor_demerit', 'major_demerit', 'dismissal', 'compensation'];

function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0');
}

export function ReviewPage(props: { me: Me; month: string | null }) {
  useLang();
  const month = props.month || lastMonth();
  const [rv, setRv] = useState<Review | null>(null);
  const [err, setErr] = useState('');
  const [dec, setDec] = useState<Record<string, { sanction: string; fine: string; comment: string }>>({});
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const writer = can(props.me, 'complaint_reviews.write');
  async function load() {
    try {
      const x = await get<Review>('/complaint-reviews/' + month);
      setRv(x);
      const d: typeof dec = {};
      for (const it of x.items) {
        const fine = it.proposed_fines.find((f) => f.role === 'responsible');
        d[it.ticket_id] = { sanction: fine?.propose_dismissal ? 'dismissal' : fine ? 'warning' : 'none', fine: fine ? yuan(fine.fine_fen) : '', comment: '' };
      }
      setDec(d);
      setErr('');
    } catch (e) {
      setRv(null);
      setErr(errorText(e));
    }
  }
  useEffect(() => {
    load();
  }, [month]);
  async function submit(ev: Event) {
    ev.preventDefault();
    if (!rv) return;
    const decisions = rv.items.map((it) => {
      const d = dec[it.ticket_id];
      return {
        ticket_id: it.ticket_id,
        sanction: d.sanction,
        ...(d.fine.trim() ? { fine_fen: toFen(d.fine) } : {}),
        ...(d.comment.trim() ? { comment: d.comment.trim() } : {}),
      };
    });
    setBusy(true);
    try {
      setRv(await post<Review>('/complaint-reviews/' + month, { decisions, ...(comment.trim() ? { comment: comment.trim() } : {}) }));
      setErrors({});
      setErr('');
    } catch (e) {
      const fields = rv.items.flatMap((_, i) => [`decisions[${i}].sanction`, `decisions[${i}].fine_fen`, `decisions[${i}].comment`]);
      setErr(fieldError(e, [...fields, 'comment'], setErrors, 'rv'));
    } finally {
      setBusy(false);
    }
  }
  const upd = (id: string, k: 'sanction' | 'fine' | 'comment') => (e: Event) =>
    setDec({ ...dec, [id]: { ...dec[id], [k]: (e.target as HTMLInputElement).value } });
  return (
    <section class="card wide" aria-labelledby="rv-title">
      <h1 id="rv-title">{t('review.title')}</h1>
      <label>
        {t('review.month')}{' '}
        <input type="month" id="rv-month" value={month} onChange={(e) => navigate('/review?month=' + (e.target as HTMLInputElement).value)} />
      </label>
      {rv && (
        <p>
          <span class={'badge review-' + rv.state} data-testid="review-state">
            {tv('reviewstate', rv.state)}
          </span>{' '}
          <span class="muted">{t('review.window', { o: rv.opens_on, d: rv.due_before })}</span>
          {rv.review && (
            <span class="muted" data-testid="reviewed-by">
              {' '}
              · {t('review.by', { who: rv.review.reviewer_name, at: fmtTime(rv.review.reviewed_at) })}
              {rv.review.comment ? ' — ' + rv.review.comment : ''}
            </span>
          )}
        </p>
      )}
      <FormError text={err} />
      {rv && rv.items.length === 0 && <p class="muted">{t('review.empty')}</p>}
      {rv && rv.items.length > 0 && (
        <form onSubmit={submit} noValidate data-testid="review-form">
          <table class="review">
            <thead>
              <tr>
                <th>{t('approvals.ticket')}</th>
                <th>{t('complaint.severity')}</th>
                <th>{t('review.responsible')}</th>
                <th>{t('complaint.resolutions')}</th>
                <th>{t('review.fines')}</th>
                <th>{t('review.sanction')}</th>
              </tr>
            </thead>
            <tbody>
              {rv.items.map((it, i) => (
                <tr key={it.ticket_id} data-ticket={it.number}>
                  <td>
                    <a href={'#/tickets/' + it.ticket_id}>{it.number}</a>
                    <div>{it.subject}</div>
                    <small class="muted">{fmtTime(it.closed_at)}</small>
                  </td>
                  <td>
                    {tv('severity', it.severity)}
                    <div class="muted">{tv('cause', it.cause)}</div>
                  </td>
                  <td>
                    {it.responsible_name || it.responsible_department || t('complaint.none')}
                    {it.responsible_name && it.responsible_department && <div class="muted">{it.responsible_department}</div>}
                    {it.service_caused && <div class="muted">{t('complaint.service_caused')}</div>}
                  </td>
                  <td>
                    {it.resolution ? tv('reskind', it.resolution.kind) : '—'}
                    {it.resolution?.amount_fen != null && <div>{t('res.amount_fen', { y: yuan(it.resolution.amount_fen) })}</div>}
                    <div class="muted">{it.upheld ? t('review.upheld') : t('review.not_upheld')}</div>
                  </td>
                  <td data-testid="fines">
                    {it.proposed_fines.map((f) => (
                      <div>
                        {t('review.fine_line', { who: f.user_name, n: f.occurrence, y: yuan(f.fine_fen) })}
                        {f.propose_dismissal && <div class="form-error">{t('review.dismissal')}</div>}
                      </div>
                    ))}
                  </td>
                  <td>
                    {it.decision ? (
                      <span data-testid="decision">
                        {tv('sanction', it.decision.sanction)}
                        {it.decision.fine_fen != null ? ' · ' + t('res.amount_fen', { y: yuan(it.decision.fine_fen) }) : ''}
                        {it.decision.comment ? ' — ' + it.decision.comment : ''}
                      </span>
                    ) : writer && dec[it.ticket_id] ? (
                      <>
                        <Field name={`decisions[${i}].sanction`} form="rv" label={t('review.sanction')} errors={errors}>
                          {(a) => (
                            <select {...a} value={dec[it.ticket_id].sanction} onChange={upd(it.ticket_id, 'sanction')}>
                              {SANCTIONS.map((s) => (
                                <option value={s}>{tv('sanction', s)}</option>
                              ))}
                            </select>
                          )}
                        </Field>
                        <Field name={`decisions[${i}].fine_fen`} form="rv" label={t('review.fine')} errors={errors}>
                          {(a) => <input {...a} inputMode="decimal" value={dec[it.ticket_id].fine} onInput={upd(it.ticket_id, 'fine')} />}
                        </Field>
                        <Field name={`decisions[${i}].comment`} form="rv" label={t('review.comment')} errors={errors}>
                          {(a) => <input {...a} value={dec[it.ticket_id].comment} onInput={upd(it.ticket_id, 'comment')} />}
                        </Field>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {writer && !rv.review && (
            <>
              <Field name="comment" form="rv" label={t('review.comment')} errors={errors}>
                {(a) => <input {...a} value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} />}
              </Field>
              <div class="row-end">
                <button type="submit" class="primary" disabled={busy}>
                  {t('review.submit')}
                </button>
              </div>
            </>
          )}
        </form>
      )}
    </section>
  );
}

export function isComplaint(tk: Ticket): tk is ComplaintTicket {
  return tk.type === 'complaint';
}
