// Dispatch of service work (SPEC D, L-10) and the K-7 documents: the
// manager's dispatch list with the dispatch action, countersigning and
// off-site decisions; the technician's vouchers and the voucher page
// (phone-width) with start, work, fee and the customer's signature drawn on a
// canvas; the finance list; the warehouse's receipt of returned goods.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, get, getAll, post, type Me } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { useCell, useEvents, usersCell } from '../state';
import { Field, FormError, errorText, fieldError, type Errors } from '../ui';

export interface Voucher {
  id: string;
  number: string;
  ticket_id: string;
  ticket_number: string;
  ticket_subject: string;
  service_class: string | null;
  customer_name: string;
  technician_id: string;
  technician_name: string;
  scheduled_on: string;
  address: string;
  city: string | null;
  off_site: boolean;
  status: 'dispatched' | 'started' | 'completed' | 'countersigned';
  started_at: string | null;
  ended_at: string | null;
  work_done: string | null;
  parts: string | null;
  fee_fen: number | null;
  collection: string | null;
  signer_name: string | null;
  signature: { content_type: string; bytes: number } | null;
  offsite_request: { status: string; destination: string; reason: string } | null;
  version: number;
}

interface Pending {
  ticket_id: string;
  number: string;
  type: string;
  subject: string;
  priority: string;
  customer_name: string;
  created_at: string;
  carried_over: boolean;
}

interface DispatchList {
  date: string;
  pending: Pending[];
  scheduled: Voucher[];
}

interface Slip {
  id: string;
  number: string;
  ticket_id: string;
  ticket_number: string;
  customer_name: string;
  quantity: number;
  status: string;
  received_qty: number | null;
  created_at: string;
}

interface Finance {
  discount_certificates: { id: string; number: string; ticket_number: string; customer_name: string; amount_fen: number; created_at: string }[];
  return_slips: Slip[];
  service_fees: { voucher_id: string; voucher_number: string; ticket_number: string; technician_name: string; fee_fen: number; collection: string; ended_at: string }[];
  totals: { discount_fen: number; service_fee_fen: number; collected_on_site_fen: number; invoiced_fen: number };
}

/** Fen as yuan with two decimals (P-4: money travels as integer fen). */
export function yuan(fen: number | null | undefined) {
  return fen === null || fen === undefined ? '' : '¥' + (fen / 100).toFixed(2);
}

/** A yuan amount typed by a person as integer fen, or null when it is not one. */
export function toFen(s: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function VoucherStatus(props: { status: string }) {
  return <span class={'badge vs-' + props.status} data-testid="voucher-status">{tv('voucher', props.status)}</span>;
}

// ---- the manager ----

export function DispatchPage(_props: { me: Me }) {
  useLang();
  const [date, setDate] = useState(today());
  const [list, setList] = useState<DispatchList | null>(null);
  const [err, setErr] = useState('');
  const load = () =>
    get<DispatchList>('/dispatch-list', { date, limit: 200 })
      .then((l) => {
        setList(l);
        setErr('');
      })
      .catch((e) => setErr(errorText(e)));
  useEffect(() => {
    load();
  }, [date]);
  useEvents((e) => {
    if (e.kind.startsWith('voucher.')) load();
  });

  async function act(path: string, body?: unknown) {
    try {
      await post(path, body);
      setErr('');
    } catch (e) {
      setErr(errorText(e));
    }
    load();
  }

  return (
    <section class="dispatch-page">
      <h1>{t('dispatch.title')}</h1>
      <div class="field inline">
        <label for="dispatch-date">{t('dispatch.date')}</label>
        <input id="dispatch-date" type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
      </div>
      <FormError text={err} />
      <section class="card">
        <h2>{t('dispatch.pending')}</h2>
        {list && list.pending.length === 0 && <p class="muted">{t('dispatch.none')}</p>}
        <ul class="mini-list" data-testid="dispatch-pending">
          {list?.pending.map((p) => <PendingRow key={p.ticket_id} p={p} date={date} onDone={load} />)}
        </ul>
      </section>
      <section class="card">
        <h2>{t('dispatch.scheduled')}</h2>
        {list && list.scheduled.length === 0 && <p class="muted">{t('dispatch.none')}</p>}
        <ul class="mini-list" data-testid="dispatch-scheduled">
          {list?.scheduled.map((v) => (
            <li key={v.id} data-voucher={v.number}>
              <a href={'#/tickets/' + v.ticket_id}>
                <span class="c-num">{v.number}</span> {v.ticket_subject} · {v.customer_name}
              </a>
              <span class="muted">
                {v.technician_name} · {v.address}
                {v.off_site ? ' · ' + t('voucher.off_site') : ''}
                {v.fee_fen ? ' · ' + yuan(v.fee_fen) : ''}
              </span>
              <VoucherStatus status={v.status} />
              {v.signature && (
                <a href={'/api/v1/vouchers/' + v.id + '/signature'} target="_blank" rel="noopener">
                  {t('voucher.signature')}
                </a>
              )}
              <span class="actions">
                {v.offsite_request?.status === 'pending' && (
                  <>
                    <button type="button" onClick={() => act('/vouchers/' + v.id + '/offsite-request/decision', { decision: 'approve' })}>
                      {t('voucher.offsite_approve')}
                    </button>
                    <button type="button" onClick={() => act('/vouchers/' + v.id + '/offsite-request/decision', { decision: 'reject' })}>
                      {t('voucher.offsite_reject')}
                    </button>
                  </>
                )}
                {v.status === 'completed' && (
                  <button type="button" class="primary" onClick={() => act('/vouchers/' + v.id + '/countersign')}>
                    {t('voucher.countersign')}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}

function PendingRow(props: { p: Pending; date: string; onDone: () => void }) {
  const { p } = props;
  const users = useCell(usersCell);
  const techs = [...users.values()].filter((u) => u.role === 'technician' && u.active !== false);
  const [tech, setTech] = useState('');
  const [address, setAddress] = useState('');
  const [offSite, setOffSite] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [err, setErr] = useState('');
  const form = 'd' + p.ticket_id;
  async function dispatch(e: Event) {
    e.preventDefault();
    try {
      await post('/tickets/' + p.ticket_id + '/vouchers', {
        technician_id: tech, scheduled_on: props.date, address, off_site: offSite,
      });
      props.onDone();
    } catch (x) {
      setErr(fieldError(x, ['technician_id', 'address', 'scheduled_on'], setErrors, form));
    }
  }
  return (
    <li data-ticket={p.number}>
      <a href={'#/tickets/' + p.ticket_id}>
        <span class="c-num">{p.number}</span> {p.subject} · {p.customer_name}
      </a>
      {p.carried_over && (
        <span class="badge carried" title="L-10">
          {t('dispatch.carried_over')}
        </span>
      )}
      <form class="dispatch-form" onSubmit={dispatch} data-testid="dispatch-form">
        <Field name="technician_id" label={t('dispatch.technician')} errors={errors} form={form}>
          {(a) => (
            <select {...a} value={tech} onChange={(e) => setTech((e.target as HTMLSelectElement).value)}>
              <option value="">—</option>
              {techs.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="address" label={t('dispatch.address')} errors={errors} form={form}>
          {(a) => <input {...a} value={address} onInput={(e) => setAddress((e.target as HTMLInputElement).value)} />}
        </Field>
        <label class="check">
          <input type="checkbox" checked={offSite} onChange={(e) => setOffSite((e.target as HTMLInputElement).checked)} />
          {t('voucher.off_site')}
        </label>
        <button type="submit" class="primary">
          {t('dispatch.dispatch')}
        </button>
        <FormError text={err} />
      </form>
    </li>
  );
}

// ---- the technician ----

export function VouchersPage(_props: { me: Me }) {
  useLang();
  const [items, setItems] = useState<Voucher[]>([]);
  const load = () => getAll<Voucher>('/vouchers').then((v) => setItems(v.reverse())).catch(() => setItems([]));
  useEffect(() => {
    load();
  }, []);
  useEvents((e) => {
    if (e.kind.startsWith('voucher.')) load();
  });
  return (
    <section class="vouchers-page">
      <h1>{t('voucher.mine')}</h1>
      {items.length === 0 && <p class="muted">{t('dispatch.none')}</p>}
      <ul class="mini-list" data-testid="my-vouchers">
        {items.map((v) => (
          <li key={v.id}>
            <a href={'#/vouchers/' + v.id}>
              <span class="c-num">{v.number}</span> {v.ticket_subject}
            </a>
            <span class="muted">
              {v.scheduled_on} · {v.address}
            </span>
            <VoucherStatus status={v.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The customer's signature, drawn with a finger, pen or mouse (pointer
 * events), exported as PNG. */
function SignaturePad(props: { onChange: (signed: boolean) => void; padRef: { current: HTMLCanvasElement | null } }) {
  const drawing = useRef(false);
  const canvas = props.padRef;
  useEffect(() => {
    const c = canvas.current!;
    // Backing store at the device's pixel ratio for a sharp line.
    const r = c.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(r.width * dpr);
    c.height = Math.round(r.height * dpr);
    const g = c.getContext('2d')!;
    g.scale(dpr, dpr);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, r.width, r.height);
    g.lineWidth = 2.5;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#111';
  }, []);
  const at = (e: PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const down = (e: PointerEvent) => {
    e.preventDefault();
    canvas.current!.setPointerCapture(e.pointerId);
    drawing.current = true;
    const g = canvas.current!.getContext('2d')!;
    const [x, y] = at(e);
    g.beginPath();
    g.moveTo(x, y);
  };
  const move = (e: PointerEvent) => {
    if (!drawing.current) return;
    const g = canvas.current!.getContext('2d')!;
    const [x, y] = at(e);
    g.lineTo(x, y);
    g.stroke();
    props.onChange(true);
  };
  const up = () => {
    drawing.current = false;
  };
  const clear = () => {
    const c = canvas.current!;
    const g = c.getContext('2d')!;
    const r = c.getBoundingClientRect();
    g.fillStyle = '#fff';
    g.fillRect(0, 0, r.width, r.height);
    props.onChange(false);
  };
  return (
    <div class="sigpad">
      <canvas
        ref={canvas}
        class="sigpad-canvas"
        data-testid="signature-pad"
        aria-label={t('voucher.sign_here')}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <button type="button" class="link" onClick={clear}>
        {t('voucher.clear')}
      </button>
    </div>
  );
}

export function VoucherPage(props: { me: Me; id: string }) {
  useLang();
  const [v, setV] = useState<Voucher | null>(null);
  const [err, setErr] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [work, setWork] = useState('');
  const [parts, setParts] = useState('');
  const [fee, setFee] = useState('');
  const [signer, setSigner] = useState('');
  const [signed, setSigned] = useState(false);
  const [dest, setDest] = useState('');
  const [reason, setReason] = useState('');
  const pad = useRef<HTMLCanvasElement | null>(null);
  const show = (x: Voucher) => {
    setV(x);
    setWork(x.work_done || '');
    setParts(x.parts || '');
    setFee(x.fee_fen ? (x.fee_fen / 100).toFixed(2) : '');
    setSigner(x.signer_name || '');
  };
  useEffect(() => {
    get<Voucher>('/vouchers/' + props.id)
      .then(show)
      .catch((e) => setErr(errorText(e)));
  }, [props.id]);
  if (!v) return <section class="voucher-page"><FormError text={err} /></section>;
  const mine = v.technician_id === props.me.id;

  async function run(f: () => Promise<Voucher>) {
    try {
      show(await f());
      setErr('');
      setErrors({});
    } catch (e) {
      setErr(fieldError(e, ['work_done', 'parts', 'fee_fen', 'signer_name', 'image_base64', 'destination', 'reason'], setErrors, 'v'));
    }
  }
  async function complete(e: Event) {
    e.preventDefault();
    const body: Record<string, unknown> = { work_done: work, parts, signer_name: signer };
    if (fee.trim()) {
      const f = toFen(fee);
      if (f === null) {
        setErrors({ fee_fen: t('voucher.fee_bad') });
        return;
      }
      body.fee_fen = f;
    }
    await run(async () => {
      if (signed && pad.current)
        await api<Voucher>('PUT', '/vouchers/' + v!.id + '/signature', { image_base64: pad.current.toDataURL('image/png') });
      return post<Voucher>('/vouchers/' + v!.id + '/complete', body);
    });
  }

  return (
    <section class="voucher-page" data-testid="voucher-page">
      <h1>
        <span class="c-num">{v.number}</span> <VoucherStatus status={v.status} />
      </h1>
      <FormError text={err} />
      <dl class="facts">
        <dt>{t('voucher.ticket')}</dt>
        <dd>
          {v.ticket_number} · {v.ticket_subject}
        </dd>
        <dt>{t('voucher.customer')}</dt>
        <dd>{v.customer_name}</dd>
        <dt>{t('dispatch.address')}</dt>
        <dd>
          {v.address}
          {v.off_site ? ' · ' + t('voucher.off_site') : ''}
        </dd>
        <dt>{t('dispatch.date')}</dt>
        <dd>{v.scheduled_on}</dd>
        {v.started_at && (
          <>
            <dt>{t('voucher.started_at')}</dt>
            <dd>{fmtTime(v.started_at)}</dd>
          </>
        )}
        {v.ended_at && (
          <>
            <dt>{t('voucher.ended_at')}</dt>
            <dd>{fmtTime(v.ended_at)}</dd>
          </>
        )}
        {v.offsite_request && (
          <>
            <dt>{t('voucher.offsite')}</dt>
            <dd data-testid="offsite-status">{tv('offsite', v.offsite_request.status)}</dd>
          </>
        )}
      </dl>
      {mine && v.status === 'dispatched' && v.off_site && v.offsite_request?.status !== 'approved' && v.offsite_request?.status !== 'pending' && (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            run(() => post<Voucher>('/vouchers/' + v.id + '/offsite-request', { destination: dest, reason }));
          }}
        >
          <h2>{t('voucher.offsite')}</h2>
          <Field name="destination" label={t('voucher.destination')} errors={errors} form="v">
            {(a) => <input {...a} value={dest} onInput={(e) => setDest((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="reason" label={t('voucher.reason')} errors={errors} form="v">
            {(a) => <textarea {...a} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />}
          </Field>
          <button type="submit">{t('voucher.offsite_request')}</button>
        </form>
      )}
      {mine && v.status === 'dispatched' && (
        <button type="button" class="primary wide" data-testid="voucher-start" onClick={() => run(() => post<Voucher>('/vouchers/' + v.id + '/start'))}>
          {t('voucher.start')}
        </button>
      )}
      {mine && v.status === 'started' && (
        <form class="card voucher-work" onSubmit={complete} data-testid="voucher-form">
          <Field name="work_done" label={t('voucher.work_done')} errors={errors} form="v">
            {(a) => <textarea {...a} rows={3} value={work} onInput={(e) => setWork((e.target as HTMLTextAreaElement).value)} />}
          </Field>
          <Field name="parts" label={t('voucher.parts')} errors={errors} form="v">
            {(a) => <input {...a} value={parts} onInput={(e) => setParts((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="fee_fen" label={t('voucher.fee')} errors={errors} form="v" hint={v.service_class ? tv('class', v.service_class) : undefined}>
            {(a) => <input {...a} inputMode="decimal" value={fee} onInput={(e) => setFee((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="signer_name" label={t('voucher.signer')} errors={errors} form="v">
            {(a) => <input {...a} value={signer} onInput={(e) => setSigner((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="image_base64" label={t('voucher.sign_here')} errors={errors} form="v">
            {() => <SignaturePad padRef={pad} onChange={setSigned} />}
          </Field>
          <button type="submit" class="primary wide" data-testid="voucher-complete">
            {t('voucher.complete')}
          </button>
        </form>
      )}
      {(v.status === 'completed' || v.status === 'countersigned') && (
        <section class="card" data-testid="voucher-done">
          <p>{v.work_done}</p>
          {v.parts && <p class="muted">{v.parts}</p>}
          {v.fee_fen ? (
            <p>
              {yuan(v.fee_fen)} · {tv('collection', v.collection)}
            </p>
          ) : null}
          <p>
            {t('voucher.signer')}: {v.signer_name}
          </p>
          {v.signature && <img class="sig-img" alt={t('voucher.signature')} src={'/api/v1/vouchers/' + v.id + '/signature'} />}
        </section>
      )}
    </section>
  );
}

// ---- finance and warehouse ----

export function FinancePage(_props: { me: Me }) {
  useLang();
  const [from, setFrom] = useState(today().slice(0, 8) + '01');
  const [to, setTo] = useState(today());
  const [f, setF] = useState<Finance | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    get<Finance>('/finance', { from, to, limit: 200 })
      .then((x) => {
        setF(x);
        setErr('');
      })
      .catch((e) => setErr(errorText(e)));
  }, [from, to]);
  return (
    <section class="finance-page">
      <h1>{t('finance.title')}</h1>
      <div class="field inline">
        <label for="fin-from">{t('finance.from')}</label>
        <input id="fin-from" type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        <label for="fin-to">{t('finance.to')}</label>
        <input id="fin-to" type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
      </div>
      <FormError text={err} />
      {f && (
        <>
          <p class="totals" data-testid="finance-totals">
            {t('finance.discounts')} {yuan(f.totals.discount_fen)} · {t('finance.fees')} {yuan(f.totals.service_fee_fen)} ({t('collection.on_site')}{' '}
            {yuan(f.totals.collected_on_site_fen)}, {t('collection.invoice')} {yuan(f.totals.invoiced_fen)})
          </p>
          <section class="card">
            <h2>{t('finance.discounts')}</h2>
            <ul class="mini-list" data-testid="finance-certificates">
              {f.discount_certificates.map((d) => (
                <li key={d.id}>
                  <span class="c-num">{d.number}</span> {d.ticket_number} · {d.customer_name} · {yuan(d.amount_fen)}
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>{t('finance.returns')}</h2>
            <ul class="mini-list" data-testid="finance-returns">
              {f.return_slips.map((s) => (
                <li key={s.id}>
                  <span class="c-num">{s.number}</span> {s.ticket_number} · {s.customer_name} · {s.quantity} ·{' '}
                  {tv('slip', s.status)}
                  {s.received_qty !== null ? ' ' + s.received_qty : ''}
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>{t('finance.fees')}</h2>
            <ul class="mini-list" data-testid="finance-fees">
              {f.service_fees.map((x) => (
                <li key={x.voucher_id}>
                  <span class="c-num">{x.voucher_number}</span> {x.ticket_number} · {x.technician_name} · {yuan(x.fee_fen)} ·{' '}
                  {tv('collection', x.collection)}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </section>
  );
}

export function ReturnsPage(_props: { me: Me }) {
  useLang();
  const [slips, setSlips] = useState<Slip[]>([]);
  const [err, setErr] = useState('');
  const load = () =>
    get<{ items: Slip[] }>('/return-slips', { status: 'awaiting', limit: 200 })
      .then((x) => setSlips(x.items))
      .catch((e) => setErr(errorText(e)));
  useEffect(() => {
    load();
  }, []);
  return (
    <section class="returns-page">
      <h1>{t('returns.title')}</h1>
      <FormError text={err} />
      {slips.length === 0 && <p class="muted">{t('returns.none')}</p>}
      <ul class="mini-list" data-testid="return-slips">
        {slips.map((s) => (
          <ReceiptRow key={s.id} s={s} onDone={load} />
        ))}
      </ul>
    </section>
  );
}

function ReceiptRow(props: { s: Slip; onDone: () => void }) {
  const { s } = props;
  const [qty, setQty] = useState(String(s.quantity));
  const [errors, setErrors] = useState<Errors>({});
  const [err, setErr] = useState('');
  const form = 'r' + s.id;
  async function receive(e: Event) {
    e.preventDefault();
    try {
      await post('/return-slips/' + s.id + '/receipt', { received_qty: Number(qty) });
      props.onDone();
    } catch (x) {
      setErr(fieldError(x, ['received_qty'], setErrors, form));
    }
  }
  return (
    <li data-slip={s.number}>
      <a href={'#/tickets/' + s.ticket_id}>
        <span class="c-num">{s.number}</span> {s.ticket_number} · {s.customer_name}
      </a>
      <span class="muted">{t('returns.quantity', { n: s.quantity })}</span>
      <form class="receipt-form" onSubmit={receive}>
        <Field name="received_qty" label={t('returns.received')} errors={errors} form={form}>
          {(a) => <input {...a} type="number" inputMode="numeric" value={qty} onInput={(e) => setQty((e.target as HTMLInputElement).value)} />}
        </Field>
        <button type="submit" class="primary">
          {t('returns.confirm')}
        </button>
        <FormError text={err} />
      </form>
    </li>
  );
}
