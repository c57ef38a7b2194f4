// A customer record (C-1) with its personal data masked (C-3) until the agent
// records a passed identity verification; the record then shows in full for
// the policy time, counted down, and masks itself again when it ends.
import { useEffect, useState } from 'preact/hooks';
import { get, post, type Customer, type Me, type Page, type TicketSummary, type Verification } from '../api';
import { fmtDuration, fmtTime, t, tv, useLang, type Key } from '../i18n';
import { can, useLatestLoad, useNow } from '../state';
import { Countdown, Field, FormError, Icon, StatusBadge, errorText, fieldError, type Errors } from '../ui';

const METHODS = ['phone', 'id_number', 'security_question', 'account', 'other'];
const FIELDS: [keyof Customer, Key][] = [
  ['phone', 'cust.phone'],
  ['alt_phone', 'cust.alt_phone'],
  ['email', 'cust.email'],
  ['address', 'cust.address'],
  ['id_number', 'cust.id_number'],
  ['company', 'cust.company'],
  ['birthday', 'cust.birthday'],
  ['notes', 'cust.notes'],
];

/** Until when this browser's verifications of customers hold (by id). */
const OPEN_KEY = 'kefu.revealed';
function openUntil(id: string): number {
  try {
    const m = JSON.parse(sessionStorage.getItem(OPEN_KEY) || '{}');
    return typeof m[id] === 'number' ? m[id] : 0;
  } catch {
    return 0;
  }
}
function rememberOpen(id: string, until: number) {
  let m: Record<string, number> = {};
  try {
    m = JSON.parse(sessionStorage.getItem(OPEN_KEY) || '{}');
  } catch {
    m = {};
  }
  m[id] = until;
  sessionStorage.setItem(OPEN_KEY, JSON.stringify(m));
}

export function CustomerPage(props: { me: Me; id: string }) {
  useLang();
  const { me, id } = props;
  const [c, setC] = useState<Customer | null>(null);
  const [tickets, setTickets] = useState<TicketSummary[]>([]);
  const [error, setError] = useState('');
  const [until, setUntil] = useState(openUntil(id));
  const now = useNow();
  const begin = useLatestLoad();

  async function load() {
    const current = begin();
    try {
      const [cu, tl] = await Promise.all([
        get<Customer>('/customers/' + id),
        can(me, 'tickets.read') ? get<Page<TicketSummary>>('/tickets', { customer_id: id, limit: 50 }) : Promise.resolve({ items: [], next_cursor: null }),
      ]);
      if (!current()) return;
      setC(cu);
      setTickets(tl.items);
      setError('');
    } catch (e) {
      if (current()) setError(errorText(e));
    }
  }
  useEffect(() => {
    setC(null);
    setUntil(openUntil(id));
    load();
  }, [id]);
  // When the verification runs out, the server masks the record again.
  const open = !!c && !c.masked;
  useEffect(() => {
    if (open && until && now > until) load();
  }, [open, until > 0 && now > until]);

  if (error && !c) return <p class="page-msg form-error">{error}</p>;
  if (!c) return <p class="page-msg">{t('queue.loading')}</p>;

  return (
    <section class="customer-page">
      <header class="cust-head">
        <h1>
          {c.name} <span class="grade">{c.grade}</span>
          {c.tags.includes('self_registered') && (
            <span class="badge self-registered" data-testid="self-registered" title={t('cust.selfRegisteredHint')}>
              {t('cust.selfRegistered')}
            </span>
          )}
        </h1>
        {c.masked ? (
          <p class="masked-note" data-testid="masked">
            <Icon name="lock" /> {t('cust.masked')}
          </p>
        ) : (
          <p class="revealed-note" data-testid="revealed">
            <Icon name="unlock" /> {until > now ? t('cust.revealed', { t: fmtDuration(until - now) }) : ''}
          </p>
        )}
      </header>
      <div class="cust-grid">
        <section class="card">
          <h2>{t('cust.title')}</h2>
          <dl class="cust-fields">
            {FIELDS.map(([k, label]) => {
              const v = c[k] as string | null;
              return (
                <>
                  <dt>{t(label)}</dt>
                  <dd class={c.masked && v && v.includes('*') ? 'masked' : ''} data-field={k}>
                    {v || <span class="muted">—</span>}
                  </dd>
                </>
              );
            })}
            <dt>{t('cust.tags')}</dt>
            <dd>{c.tags.length ? c.tags.join('、') : <span class="muted">—</span>}</dd>
          </dl>
        </section>
        {can(me, 'customers.write') && <PortalAccountCard id={id} verified={!c.masked} phone={c.phone} />}
        {can(me, 'customers.verify') && c.masked && (
          <Verify
            id={id}
            onPassed={(v) => {
              const u = v.expires_at ? Date.parse(v.expires_at) : 0;
              rememberOpen(id, u);
              setUntil(u);
              load();
            }}
          />
        )}
      </div>
      <section class="card">
        <h2>{t('cust.tickets')}</h2>
        {tickets.length === 0 ? (
          <p class="muted">{t('cust.no_tickets')}</p>
        ) : (
          <ul class="mini-list">
            {tickets.map((x) => (
              <li key={x.id}>
                <a href={'#/tickets/' + x.id}>
                  <span class="c-num">{x.number}</span> {x.subject}
                </a>
                <StatusBadge status={x.status} />
                <span class="type-tag">{tv('type', x.type)}</span>
                <Countdown dueAt={x.next_due_at} overdue={x.overdue} />
                <small class="muted">{fmtTime(x.created_at)}</small>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

function Verify(props: { id: string; onPassed: (v: Verification) => void }) {
  const [method, setMethod] = useState('phone');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);

  async function record(passed: boolean) {
    setBusy(true);
    try {
      const body: Record<string, unknown> = { method, passed };
      if (note.trim()) body.note = note.trim();
      const v = await post<Verification>('/customers/' + props.id + '/verifications', body);
      setErrors({});
      setFormErr('');
      setNote('');
      if (v.passed) props.onPassed(v);
      else setInfo(t('cust.verify_failed'));
    } catch (e) {
      setFormErr(fieldError(e, ['method', 'note', 'passed'], setErrors, 'verify'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card verify" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('cust.verify')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          record(true);
        }}
        noValidate
        data-testid="verify-form"
      >
        <Field name="method" form="verify" label={t('cust.verify_method')} errors={errors}>
          {(a) => (
            <select {...a} value={method} onChange={(e) => setMethod((e.target as HTMLSelectElement).value)}>
              {METHODS.map((m) => (
                <option value={m}>{tv('method', m)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field name="note" form="verify" label={t('cust.verify_note')} errors={errors}>
          {(a) => <input {...a} value={note} maxLength={500} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />}
        </Field>
        <FormError text={formErr} />
        {info && <p class="muted" role="status">{info}</p>}
        <div class="row-end">
          <button type="button" disabled={busy} onClick={() => record(false)}>
            {t('cust.verify_fail')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('cust.verify_pass')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** S-4: issues the customer's portal account for this record, once their
 * identity is verified (C-3; the server insists on it too). */
function PortalAccountCard(props: { id: string; verified: boolean; phone: string | null }) {
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(ev: Event) {
    ev.preventDefault();
    const form = new FormData(ev.target as HTMLFormElement);
    const body: Record<string, string> = { password: String(form.get('password') || '') };
    const phone = String(form.get('phone') || '').trim();
    if (phone) body.phone = phone;
    setBusy(true);
    try {
      const a = await post<{ phone: string }>('/customers/' + props.id + '/portal-account', body);
      setErrors({});
      setFormErr('');
      setDone(t('cust.portal_done', { phone: a.phone }));
    } catch (e) {
      setFormErr(fieldError(e, ['password', 'phone'], setErrors, 'pacct'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby="pacct-title" data-testid="portal-account">
      <h2 id="pacct-title">{t('cust.portal')}</h2>
      {done ? (
        <p role="status">{done}</p>
      ) : !props.verified ? (
        <p class="muted">{t('cust.portal_verify_first')}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="muted">{t('cust.portal_hint')}</p>
          <Field name="phone" form="pacct" label={t('cust.portal_phone')} errors={errors} hint={props.phone || ''}>
            {(a) => <input {...a} type="tel" />}
          </Field>
          <Field name="password" form="pacct" label={t('cust.portal_password')} errors={errors}>
            {(a) => <input {...a} type="password" autocomplete="new-password" />}
          </Field>
          <FormError text={formErr} />
          <div class="row-end">
            <button type="submit" class="primary" disabled={busy}>
              {t('cust.portal_issue')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
