// Registration (T-3, 服务登记簿): the phone number typed finds the customer
// on file (in full or by its last four digits) as the agent types; without a
// match the ticket registers a new customer with it.
import { useEffect, useState } from 'preact/hooks';
import { get, isAbort, post, type Customer, type Me, type Page, type Ticket, type TicketSummary } from '../api';
import { t, tv, useLang } from '../i18n';
import { navigate, useDebounced, userName } from '../state';
import { toast } from '../session';
import { Field, FormError, KeyHelp, StatusBadge, fieldError, focusOnMount, type Errors } from '../ui';

const TYPES = ['inquiry', 'complaint', 'query', 'repair', 'suggestion', 'help', 'service'];
const CHANNELS = ['phone', 'visit', 'letter', 'fax', 'web', 'chat', 'other'];
const PRIORITIES = ['normal', 'urgent', 'critical'];
const FIELDS = [
  'customer_id', 'customer', 'customer.name', 'customer.phone', 'customer.address', 'customer.company', 'type', 'channel',
  'contact', 'priority', 'subject', 'description', 'product', 'product.model', 'product.spec', 'product.purchased_on',
  'product.purchased_at',
];

export function RegisterPage(_props: { me: Me }) {
  useLang();
  const [phone, setPhone] = useState('');
  const [matches, setMatches] = useState<Customer[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [chosen, setChosen] = useState<Customer | null>(null);
  const [f, setF] = useState<Record<string, string>>({ type: 'inquiry', channel: 'phone', priority: '' });
  const [productOpen, setProductOpen] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  const digits = phone.replace(/\D/g, '');
  const q = useDebounced(digits, 250);

  useEffect(() => {
    if (chosen || q.length < 4) {
      setMatches(null);
      return;
    }
    const ac = new AbortController();
    setSearching(true);
    get<Page<Customer>>('/customers', { q, limit: 5 }, ac.signal)
      .then((p) => setMatches(p.items))
      .catch((e) => {
        if (!isAbort(e)) setMatches([]);
      })
      .finally(() => setSearching(false));
    return () => ac.abort();
  }, [q, chosen]);

  const set = (name: string) => (ev: Event) => setF({ ...f, [name]: (ev.target as HTMLInputElement).value });
  const val = (name: string) => f[name] ?? '';

  function choose(c: Customer) {
    setChosen(c);
    setErrors({});
    setTimeout(() => document.getElementById('reg-subject')?.focus(), 0);
  }

  async function submit(ev: Event) {
    ev.preventDefault();
    const body: Record<string, unknown> = {
      type: val('type'),
      channel: val('channel'),
      subject: val('subject').trim(),
      description: val('description').trim(),
    };
    if (val('priority')) body.priority = val('priority');
    // The number typed is the calling number unless it was only a fragment
    // to search by (a full number has at least 7 digits).
    const contact = val('contact').trim() || (val('channel') === 'phone' && digits.length >= 7 ? phone.trim() : '');
    if (contact) body.contact = contact;
    if (chosen) body.customer_id = chosen.id;
    else {
      const c: Record<string, string> = { name: val('name').trim() };
      if (phone.trim()) c.phone = phone.trim();
      if (val('address').trim()) c.address = val('address').trim();
      if (val('company').trim()) c.company = val('company').trim();
      body.customer = c;
    }
    const product: Record<string, string> = {};
    for (const k of ['model', 'spec', 'purchased_on', 'purchased_at']) if (val(k).trim()) product[k] = val(k).trim();
    if (Object.keys(product).length) body.product = product;
    setBusy(true);
    try {
      const tk = await post<Ticket>('/tickets', body);
      toast(t('reg.done', { n: tk.number }), '/tickets/' + tk.id);
      navigate('/tickets/' + tk.id);
    } catch (e) {
      if (e instanceof Error && 'field' in e && String((e as any).field).startsWith('product.')) setProductOpen(true);
      setFormErr(fieldError(e, FIELDS, setErrors, 'reg'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="register-page">
      <h1>{t('reg.title')}</h1>
      <div class="register-grid">
        <form class="register" onSubmit={submit} noValidate data-testid="register-form">
          <fieldset class="card">
            <legend>{t('reg.customer')}</legend>
            {chosen ? (
              <div class="chosen" data-testid="chosen-customer">
                <span class="muted">{t('reg.chosen')}</span>
                <strong>{chosen.name}</strong>
                <span>{chosen.phone}</span>
                <span class="grade">{chosen.grade}</span>
                {chosen.company && <span class="muted">{chosen.company}</span>}
                <button type="button" class="link" onClick={() => setChosen(null)}>
                  {t('reg.change')}
                </button>
              </div>
            ) : (
              <>
                <Field name="customer.phone" form="reg" label={t('reg.phone')} errors={errors} hint={t('reg.phone_hint')}>
                  {(a) => (
                    <input
                      {...a}
                      type="tel"
                      inputMode="tel"
                      ref={focusOnMount}
                      autocomplete="off"
                      value={phone}
                      maxLength={32}
                      onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
                    />
                  )}
                </Field>
                <div class="matches" aria-live="polite" data-testid="customer-matches">
                  {searching && <p class="muted">{t('reg.searching')}</p>}
                  {!searching && matches && matches.length === 0 && <p class="muted">{t('reg.no_match')}</p>}
                  {matches && matches.length > 0 && (
                    <>
                      <p class="muted">{t('reg.matches')}</p>
                      <ul>
                        {matches.map((c) => (
                          <li key={c.id}>
                            <button type="button" class="match" onClick={() => choose(c)}>
                              <strong>{c.name}</strong> <span>{c.phone}</span> <span class="grade">{c.grade}</span>
                              {c.company && <span class="muted"> {c.company}</span>}
                              <span class="use">{t('reg.use')}</span>
                            </button>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
                <div class="grid2">
                  <Field name="customer.name" form="reg" label={t('reg.name') + ' · ' + t('reg.new_customer')} errors={errors}>
                    {(a) => <input {...a} value={val('name')} maxLength={100} onInput={set('name')} />}
                  </Field>
                  <Field name="customer.company" form="reg" label={t('reg.company')} errors={errors}>
                    {(a) => <input {...a} value={val('company')} maxLength={100} onInput={set('company')} />}
                  </Field>
                </div>
                <Field name="customer.address" form="reg" label={t('reg.address')} errors={errors}>
                  {(a) => <input {...a} value={val('address')} maxLength={200} onInput={set('address')} />}
                </Field>
              </>
            )}
            {(errors.customer_id || errors.customer) && (
              <small class="field-error" role="alert">
                {errors.customer_id || errors.customer}
              </small>
            )}
          </fieldset>
          <fieldset class="card">
            <legend>{t('reg.request')}</legend>
            <div class="grid3">
              <Field name="type" form="reg" label={t('reg.type')} errors={errors}>
                {(a) => (
                  <select {...a} value={val('type')} onChange={set('type')}>
                    {TYPES.map((x) => (
                      <option value={x}>{tv('type', x)}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="channel" form="reg" label={t('reg.channel')} errors={errors}>
                {(a) => (
                  <select {...a} value={val('channel')} onChange={set('channel')}>
                    {CHANNELS.map((x) => (
                      <option value={x}>{tv('channel', x)}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="priority" form="reg" label={t('reg.priority')} errors={errors}>
                {(a) => (
                  <select {...a} value={val('priority')} onChange={set('priority')}>
                    <option value="">{t('reg.priority_auto')}</option>
                    {PRIORITIES.map((x) => (
                      <option value={x}>{tv('priority', x)}</option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <Field name="contact" form="reg" label={t('reg.contact')} errors={errors}>
              {(a) => <input {...a} value={val('contact')} maxLength={200} placeholder={val('channel') === 'phone' && digits.length >= 7 ? phone : ''} onInput={set('contact')} />}
            </Field>
            <Field name="subject" form="reg" label={t('reg.subject')} errors={errors}>
              {(a) => <input {...a} value={val('subject')} maxLength={200} onInput={set('subject')} />}
            </Field>
            <Field name="description" form="reg" label={t('reg.description')} errors={errors}>
              {(a) => <textarea {...a} rows={5} value={val('description')} onInput={set('description')} />}
            </Field>
            <details open={productOpen} onToggle={(e) => setProductOpen((e.target as HTMLDetailsElement).open)}>
              <summary>{t('reg.product')}</summary>
              <div class="grid2">
                <Field name="product.model" form="reg" label={t('reg.model')} errors={errors}>
                  {(a) => <input {...a} value={val('model')} maxLength={100} onInput={set('model')} />}
                </Field>
                <Field name="product.spec" form="reg" label={t('reg.spec')} errors={errors}>
                  {(a) => <input {...a} value={val('spec')} maxLength={100} onInput={set('spec')} />}
                </Field>
                <Field name="product.purchased_on" form="reg" label={t('reg.purchased_on')} errors={errors}>
                  {(a) => <input {...a} type="date" value={val('purchased_on')} onInput={set('purchased_on')} />}
                </Field>
                <Field name="product.purchased_at" form="reg" label={t('reg.purchased_at')} errors={errors}>
                  {(a) => <input {...a} value={val('purchased_at')} maxLength={200} onInput={set('purchased_at')} />}
                </Field>
              </div>
            </details>
          </fieldset>
          <FormError text={formErr} />
          <div class="row-end">
            <button type="submit" class="primary" disabled={busy}>
              {t('reg.submit')}
            </button>
          </div>
        </form>
        <aside>{chosen ? <CustomerHistory customer={chosen} /> : <KeyHelp />}</aside>
      </div>
    </section>
  );
}

/** The chosen customer's latest tickets, so that a repeat caller's history
 * is in view while registering (T-5: who handled it before). */
function CustomerHistory(props: { customer: Customer }) {
  const [items, setItems] = useState<TicketSummary[] | null>(null);
  useEffect(() => {
    setItems(null);
    get<Page<TicketSummary>>('/tickets', { customer_id: props.customer.id, limit: 8 })
      .then((p) => setItems(p.items))
      .catch(() => setItems([]));
  }, [props.customer.id]);
  return (
    <section class="card">
      <h2>
        <a href={'#/customers/' + props.customer.id}>{props.customer.name}</a> · {t('cust.tickets')}
      </h2>
      {items === null ? (
        <p class="muted">{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t('cust.no_tickets')}</p>
      ) : (
        <ul class="mini-list">
          {items.map((x) => (
            <li key={x.id}>
              <a href={'#/tickets/' + x.id}>{x.subject}</a>
              <StatusBadge status={x.status} />
              <small class="muted">
                {x.number} · {userName(x.owner_id)}
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
