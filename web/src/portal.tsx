// The customer portal (#/portal): a customer signs in or registers with
// phone and password, submits requests, follows them and replies. It has a
// session of its own (the kefu_portal cookie and its CSRF token, kept under
// kefu.portal.csrf), separate from the console's: a customer's session
// opens no staff endpoint and a staff session no portal one (S-4). The
// server answers only the customer's own tickets, and only the entries a
// customer may see (never an internal note, T-7). Pages poll while visible
// (5 s for an open request, 15 s for the list), so nothing needs a reload.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, qs, request, type Page, type TicketStatus, type TicketType } from './api';
import { cell, navigate, useCell, useRoute } from './state';
import { fmtTime, t, tv, useLang } from './i18n';
import { Field, FormError, LangSelect, StatusBadge, errorText, fieldError, focusOnMount, type Errors } from './ui';

export interface PortalAccount {
  id: string;
  customer_id: string;
  name: string;
  phone?: string;
}
export interface PortalEntry {
  id: string;
  at: string;
  kind: 'created' | 'reply' | 'customer_reply' | 'status_changed';
  author: 'staff' | 'customer';
  body: string | null;
  status?: TicketStatus | null;
}
export interface PortalTicket {
  id: string;
  number: string;
  type: TicketType;
  channel: string;
  subject: string;
  status: TicketStatus;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  closed_at: string | null;
  description?: string;
  entries?: PortalEntry[];
}
interface Signin {
  token: string;
  csrf_token: string;
  account: PortalAccount;
}

const CSRF_KEY = 'kefu.portal.csrf';
/** undefined while checking, null when signed out. */
const accountCell = cell<PortalAccount | null | undefined>(undefined);

function call<T>(method: string, path: string, body?: unknown) {
  return request<T>(method, '/portal' + path, body, {
    csrf: localStorage.getItem(CSRF_KEY) || '',
    unauthorized: path === '/login' || path === '/signup' ? undefined : () => accountCell.set(null),
  });
}

function signedIn(s: Signin) {
  localStorage.setItem(CSRF_KEY, s.csrf_token);
  accountCell.set(s.account);
}

const TYPES: TicketType[] = ['inquiry', 'repair', 'complaint', 'query', 'suggestion', 'help', 'service'];

/** Calls f now and every ms while the page is visible. */
function usePoll(f: () => void, ms: number, deps: unknown[]) {
  useEffect(() => {
    f();
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') f();
    }, ms);
    return () => clearInterval(id);
  }, deps);
}

export function PortalApp() {
  useLang();
  const account = useCell(accountCell);
  const route = useRoute();
  useEffect(() => {
    document.title = t('portal.title');
    if (!localStorage.getItem(CSRF_KEY)) {
      accountCell.set(null);
      return;
    }
    call<PortalAccount>('GET', '/me')
      .then((a) => accountCell.set(a))
      .catch(() => accountCell.set(null));
  }, []);
  const [, page, id] = route.parts;
  let body;
  if (account === undefined) body = <p class="page-msg">{t('queue.loading')}</p>;
  else if (account === null) body = page === 'signup' ? <Signup /> : <Signin />;
  else if (page === 'new') body = <NewRequest />;
  else if (page === 'tickets' && id) body = <TicketView id={id} />;
  else body = <MyTickets />;
  return (
    <div class="portal">
      <header class="portal-bar">
        <a class="brand" href="#/portal">
          {t('portal.title')}
        </a>
        <div class="me">
          <LangSelect />
          {account && (
            <>
              <span class="who" data-testid="portal-who">
                {account.name}
              </span>
              <button type="button" class="link" onClick={signOut}>
                {t('logout')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" class="portal-main" tabIndex={-1}>
        {body}
      </main>
    </div>
  );
}

async function signOut() {
  try {
    await call('POST', '/logout');
  } catch {
    /* signed out either way */
  }
  localStorage.removeItem(CSRF_KEY);
  accountCell.set(null);
  navigate('/portal');
}

/** A form's submit: the API's field errors next to the fields. */
function useForm(fields: string[], form: string) {
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  async function run(f: () => Promise<void>) {
    setBusy(true);
    setFormErr('');
    setErrors({});
    try {
      await f();
    } catch (e) {
      setFormErr(fieldError(e, fields, setErrors, form));
    } finally {
      setBusy(false);
    }
  }
  return { errors, setErrors, formErr, busy, run };
}

function values(ev: Event) {
  ev.preventDefault();
  const form = new FormData(ev.target as HTMLFormElement);
  return (k: string) => String(form.get(k) || '');
}

function Signin() {
  const f = useForm(['phone', 'password'], 'psi');
  const submit = (ev: Event) => {
    const v = values(ev);
    f.run(async () => {
      try {
        signedIn(await call<Signin>('POST', '/login', { phone: v('phone').trim(), password: v('password') }));
      } catch (e) {
        // The same answer for a wrong phone and a wrong password (S-1).
        if (e instanceof ApiError && (e.status === 401 || e.status === 429))
          throw new ApiError(e.status, e.code, errorText(e), 'password');
        throw e;
      }
    });
  };
  return (
    <form class="card login portal-form" onSubmit={submit} noValidate aria-labelledby="psi-title">
      <h1 id="psi-title">{t('portal.signin_title')}</h1>
      <Field name="phone" form="psi" label={t('portal.phone')} errors={f.errors}>
        {(a) => <input {...a} type="tel" inputMode="tel" autocomplete="username" ref={focusOnMount} />}
      </Field>
      <Field name="password" form="psi" label={t('portal.password')} errors={f.errors}>
        {(a) => <input {...a} type="password" autocomplete="current-password" />}
      </Field>
      <FormError text={f.formErr} />
      <button type="submit" class="primary wide" disabled={f.busy}>
        {t('portal.signin')}
      </button>
      <p class="portal-alt">
        <a href="#/portal/signup">{t('portal.no_account')}</a>
        <a href="#/">{t('portal.staff_link')}</a>
      </p>
    </form>
  );
}

function Signup() {
  const f = useForm(['phone', 'name', 'password'], 'psu');
  const submit = (ev: Event) => {
    const v = values(ev);
    f.run(async () => {
      signedIn(await call<Signin>('POST', '/signup', { phone: v('phone').trim(), name: v('name').trim(), password: v('password') }));
      navigate('/portal');
    });
  };
  return (
    <form class="card login portal-form" onSubmit={submit} noValidate aria-labelledby="psu-title">
      <h1 id="psu-title">{t('portal.signup_title')}</h1>
      <p class="hint">{t('portal.signup_note')}</p>
      <Field name="phone" form="psu" label={t('portal.phone')} errors={f.errors}>
        {(a) => <input {...a} type="tel" inputMode="tel" autocomplete="tel" ref={focusOnMount} />}
      </Field>
      <Field name="name" form="psu" label={t('portal.name')} errors={f.errors}>
        {(a) => <input {...a} autocomplete="name" />}
      </Field>
      <Field name="password" form="psu" label={t('portal.password')} hint={t('portal.password_hint')} errors={f.errors}>
        {(a) => <input {...a} type="password" autocomplete="new-password" />}
      </Field>
      <FormError text={f.formErr} />
      <button type="submit" class="primary wide" disabled={f.busy}>
        {t('portal.signup')}
      </button>
      <p class="portal-alt">
        <a href="#/portal">{t('portal.have_account')}</a>
      </p>
    </form>
  );
}

function MyTickets() {
  const [items, setItems] = useState<PortalTicket[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [err, setErr] = useState('');
  // The first page is refreshed while visible; older pages stay as loaded.
  usePoll(
    () => {
      call<Page<PortalTicket>>('GET', '/tickets' + qs({ limit: 50 }))
        .then((p) => {
          setItems((old) => {
            const first = new Set(p.items.map((x) => x.id));
            const rest = (old || []).slice(50).filter((x) => !first.has(x.id));
            return [...p.items, ...rest];
          });
          setCursor((c) => c ?? p.next_cursor);
          setErr('');
        })
        .catch((e) => setErr(errorText(e)));
    },
    15000,
    [],
  );
  const more = async () => {
    if (!cursor) return;
    try {
      const p = await call<Page<PortalTicket>>('GET', '/tickets' + qs({ limit: 50, cursor }));
      setItems([...(items || []), ...p.items]);
      setCursor(p.next_cursor);
    } catch (e) {
      setErr(errorText(e));
    }
  };
  return (
    <section class="portal-list">
      <div class="portal-head">
        <h1>{t('portal.mine')}</h1>
        <a class="button primary" href="#/portal/new" data-testid="portal-new">
          ＋ {t('portal.new')}
        </a>
      </div>
      <FormError text={err} />
      {items === null ? (
        <p class="page-msg">{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p class="page-msg">{t('portal.empty')}</p>
      ) : (
        <ul class="portal-tickets" data-testid="portal-tickets">
          {items.map((x) => (
            <li key={x.id}>
              <a href={'#/portal/tickets/' + x.id} class="card portal-ticket" data-number={x.number}>
                <span class="num">{x.number}</span>
                <StatusBadge status={x.status} />
                <strong class="subject">{x.subject}</strong>
                <small>
                  {tv('type', x.type)} · {t('portal.updated', { t: fmtTime(x.updated_at) })}
                </small>
              </a>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" onClick={more}>
          {t('portal.more')}
        </button>
      )}
    </section>
  );
}

function NewRequest() {
  const f = useForm(['type', 'subject', 'description'], 'pnr');
  const submit = (ev: Event) => {
    const v = values(ev);
    f.run(async () => {
      const tk = await call<PortalTicket>('POST', '/tickets', {
        type: v('type'),
        subject: v('subject').trim(),
        description: v('description').trim(),
      });
      navigate('/portal/tickets/' + tk.id);
    });
  };
  return (
    <form class="card portal-form" onSubmit={submit} noValidate aria-labelledby="pnr-title">
      <h1 id="pnr-title">{t('portal.new')}</h1>
      <Field name="type" form="pnr" label={t('portal.type')} errors={f.errors}>
        {(a) => (
          <select {...a}>
            {TYPES.map((x) => (
              <option value={x}>{tv('type', x)}</option>
            ))}
          </select>
        )}
      </Field>
      <Field name="subject" form="pnr" label={t('portal.subject')} errors={f.errors}>
        {(a) => <input {...a} maxLength={200} ref={focusOnMount} />}
      </Field>
      <Field name="description" form="pnr" label={t('portal.description')} errors={f.errors}>
        {(a) => <textarea {...a} rows={6} />}
      </Field>
      <FormError text={f.formErr} />
      <div class="buttons">
        <a href="#/portal">{t('portal.back')}</a>
        <button type="submit" class="primary" disabled={f.busy}>
          {t('portal.submit')}
        </button>
      </div>
    </form>
  );
}

function TicketView(props: { id: string }) {
  const [tk, setTk] = useState<PortalTicket | null>(null);
  const [err, setErr] = useState('');
  const f = useForm(['body'], 'prp');
  const load = () =>
    call<PortalTicket>('GET', '/tickets/' + props.id)
      .then((x) => {
        setTk(x);
        setErr('');
      })
      .catch((e) => setErr(errorText(e)));
  usePoll(load, 5000, [props.id]);
  const send = (ev: Event) => {
    const v = values(ev);
    const form = ev.target as HTMLFormElement;
    f.run(async () => {
      setTk(await call<PortalTicket>('POST', `/tickets/${props.id}/replies`, { body: v('body').trim() }));
      form.reset();
    });
  };
  if (!tk) return err ? <p class="page-msg">{err}</p> : <p class="page-msg">{t('queue.loading')}</p>;
  return (
    <article class="portal-ticket-view" data-testid="portal-ticket">
      <p>
        <a href="#/portal">← {t('portal.back')}</a>
      </p>
      <header class="card">
        <div class="portal-head">
          <span class="num" data-testid="portal-number">
            {tk.number}
          </span>
          <StatusBadge status={tk.status} />
        </div>
        <h1>{tk.subject}</h1>
        <small>
          {tv('type', tk.type)} · {fmtTime(tk.created_at)}
        </small>
        <p class="desc">{tk.description}</p>
      </header>
      <section class="card">
        <h2>{t('portal.conversation')}</h2>
        <ol class="portal-entries">
          {(tk.entries || []).map((e) => (
            <li key={e.id} class={'pe pe-' + e.author + ' pe-' + e.kind} data-testid="portal-entry" data-kind={e.kind}>
              <small>
                {t(e.author === 'staff' ? 'portal.author.staff' : 'portal.author.customer')} · {fmtTime(e.at)}
              </small>
              {e.kind === 'status_changed' ? (
                <span>{t('portal.entry.status', { s: tv('status', e.status) })}</span>
              ) : e.kind === 'created' ? (
                <span>{t(e.author === 'customer' ? 'portal.entry.created' : 'portal.entry.registered')}</span>
              ) : (
                <p class="body">{e.body}</p>
              )}
            </li>
          ))}
        </ol>
      </section>
      {tk.status === 'closed' ? (
        <p class="page-msg">{t('portal.closed_note')}</p>
      ) : (
        <form class="card portal-form" onSubmit={send} noValidate>
          <Field name="body" form="prp" label={t('portal.reply')} errors={f.errors}>
            {(a) => <textarea {...a} rows={3} />}
          </Field>
          <FormError text={f.formErr} />
          <div class="buttons">
            <button type="submit" class="primary" disabled={f.busy}>
              {t('portal.send')}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
