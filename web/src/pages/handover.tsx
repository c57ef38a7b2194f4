// Handover (W-16, 交接班): the outgoing agent fills the record from the draft
// (items carried over to them, their open tickets and callbacks), marks what
// is resolved, adds customer promises and signs; the incoming agent confirms
// (dual sign-off). What stays unresolved is carried over to the incoming
// agent's next handover by the server. Live: `handover.pending` and
// `handover.confirmed` reload the lists.
import { useEffect, useState } from 'preact/hooks';
import { get, getAll, post, type Handover, type HandoverItem, type HandoverItemKind, type Me } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { useCell, useEvents, usersCell, userName } from '../state';
import { toast } from '../session';
import { Field, FormError, errorText, fieldError, type Errors } from '../ui';
import { ClockWidget } from './attendance';

function ItemLine(props: { it: HandoverItem }) {
  const { it } = props;
  return (
    <>
      <span class="badge">{tv('hokind', it.kind)}</span>
      {it.ticket_id ? (
        <a href={'#/tickets/' + it.ticket_id}>
          <span class="c-num">{it.ticket_number}</span> {it.text}
        </a>
      ) : (
        <span class="ho-text">{it.text}</span>
      )}
      {it.carried_from_item_id && <span class="badge ho-carried" data-testid="carried">{t('ho.carried')}</span>}
    </>
  );
}

function HandoverCard(props: { h: Handover; me: Me; onDone: () => void }) {
  const { h, me } = props;
  const [note, setNote] = useState('');
  const [err, setErr] = useState('');
  const mayConfirm = h.status === 'pending' && h.from_user_id !== me.id && (!h.to_user_id || h.to_user_id === me.id);
  async function confirm() {
    try {
      await post('/handovers/' + h.id + '/confirm', note ? { note } : {});
      setErr('');
      props.onDone();
    } catch (e) {
      setErr(errorText(e));
    }
  }
  return (
    <li class="ho-card" data-testid={'handover-' + h.id}>
      <div>
        <b>{t('ho.from', { who: h.from_name })}</b> · {h.to_name ? t('ho.to') + ' ' + h.to_name : t('ho.to_next')} ·{' '}
        {fmtTime(h.created_at)} ·{' '}
        <span class={'badge ho-' + h.status}>{h.status === 'pending' ? t('ho.pending') : t('ho.confirmed')}</span>
        {h.confirmed_by && <span class="muted"> {t('ho.by', { who: userName(h.confirmed_by) })}</span>}
      </div>
      {h.items.length === 0 ? (
        <p class="muted">{t('ho.no_items')}</p>
      ) : (
        <ul class="mini-list">
          {h.items.map((it) => (
            <li key={it.id} class={it.resolved ? 'ho-resolved' : ''}>
              <ItemLine it={it} />
              {it.resolved && <span class="badge">{t('ho.resolved')}</span>}
            </li>
          ))}
        </ul>
      )}
      <p class="muted">
        {h.equipment_checked ? '✓ ' + t('ho.equipment') : ''} {h.equipment_note || ''} {h.anomalies ? ' · ' + t('ho.anomalies') + '：' + h.anomalies : ''}{' '}
        {h.notes ? ' · ' + h.notes : ''}
      </p>
      {mayConfirm && (
        <div class="actions">
          <input aria-label={t('ho.confirm_note')} placeholder={t('ho.confirm_note')} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          <button type="button" class="primary" data-testid="confirm-handover" onClick={confirm}>
            {t('ho.confirm')}
          </button>
        </div>
      )}
      <FormError text={err} />
    </li>
  );
}

interface Row extends HandoverItem {
  key: string;
}

function HandoverForm(props: { me: Me; onSigned: () => void }) {
  const users = useCell(usersCell);
  const [rows, setRows] = useState<Row[]>([]);
  const [to, setTo] = useState('');
  const [equipment, setEquipment] = useState(false);
  const [equipmentNote, setEquipmentNote] = useState('');
  const [anomalies, setAnomalies] = useState('');
  const [notes, setNotes] = useState('');
  const [kind, setKind] = useState<HandoverItemKind>('promise');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [err, setErr] = useState('');
  const [signed, setSigned] = useState('');
  const loadDraft = () =>
    get<{ items: HandoverItem[] }>('/handovers/draft')
      .then((d) => setRows(d.items.map((it, i) => ({ ...it, key: 'd' + i }))))
      .catch((e) => setErr(errorText(e)));
  useEffect(() => {
    loadDraft();
  }, []);
  const colleagues = [...users.values()].filter(
    (u) => u.id !== props.me.id && u.active && (u.role === 'agent' || u.role === 'team_lead' || u.role === 'supervisor'));

  function add() {
    if (!text.trim()) {
      setErrors({ 'new-text': t('err.required') });
      return;
    }
    setRows([...rows, { key: 'n' + Date.now(), id: null, kind, ticket_id: null, ticket_number: null, callback_id: null, text, resolved: false, carried_from_item_id: null }]);
    setText('');
    setErrors({});
  }

  async function sign(e: Event) {
    e.preventDefault();
    setErr('');
    try {
      const h = await post<Handover>('/handovers', {
        ...(to ? { to_user_id: to } : {}),
        equipment_checked: equipment,
        ...(equipmentNote ? { equipment_note: equipmentNote } : {}),
        ...(anomalies ? { anomalies } : {}),
        ...(notes ? { notes } : {}),
        items: rows.map((r) => ({
          kind: r.kind,
          text: r.text,
          resolved: r.resolved,
          ...(r.ticket_id ? { ticket_id: r.ticket_id } : {}),
          ...(r.callback_id ? { callback_id: r.callback_id } : {}),
          ...(r.carried_from_item_id ? { carried_from_item_id: r.carried_from_item_id } : {}),
        })),
      });
      setSigned(t('ho.signed') + ' #' + h.id);
      setErrors({});
      loadDraft();
      props.onSigned();
    } catch (x) {
      setErr(fieldError(x, ['to_user_id'], setErrors, 'ho'));
    }
  }

  return (
    <form class="card" onSubmit={sign} data-testid="handover-form">
      <h2>{t('ho.outgoing')}</h2>
      <Field name="to_user_id" label={t('ho.to')} errors={errors} form="ho">
        {(a) => (
          <select {...a} value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
            <option value="">{t('ho.to_next')}</option>
            {colleagues.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <h3>{t('ho.items')}</h3>
      {rows.length === 0 && <p class="muted">{t('ho.no_items')}</p>}
      <ul class="mini-list" data-testid="handover-items">
        {rows.map((r, i) => (
          <li key={r.key}>
            <ItemLine it={r} />
            <label>
              <input
                type="checkbox"
                checked={r.resolved}
                data-testid={'resolved-' + i}
                onChange={(e) => setRows(rows.map((x) => (x.key === r.key ? { ...x, resolved: (e.target as HTMLInputElement).checked } : x)))}
              />{' '}
              {t('ho.resolved')}
            </label>
          </li>
        ))}
      </ul>
      <div class="ho-add">
        <select aria-label={t('duty.kind')} value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as HandoverItemKind)}>
          <option value="promise">{tv('hokind', 'promise')}</option>
          <option value="other">{tv('hokind', 'other')}</option>
        </select>
        <Field name="new-text" label="" errors={errors} form="ho">
          {(a) => <input {...a} placeholder={t('ho.text')} aria-label={t('ho.text')} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />}
        </Field>
        <button type="button" onClick={add} data-testid="add-item">
          {t('ho.add')}
        </button>
      </div>
      <label>
        <input type="checkbox" id="ho-equipment" checked={equipment} onChange={(e) => setEquipment((e.target as HTMLInputElement).checked)} /> {t('ho.equipment')}
      </label>
      <div class="grid3">
        <Field name="equipment_note" label={t('ho.equipment_note')} errors={errors} form="ho">
          {(a) => <input {...a} value={equipmentNote} onInput={(e) => setEquipmentNote((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field name="anomalies" label={t('ho.anomalies')} errors={errors} form="ho">
          {(a) => <input {...a} value={anomalies} onInput={(e) => setAnomalies((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field name="notes" label={t('ho.notes')} errors={errors} form="ho">
          {(a) => <input {...a} value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />}
        </Field>
      </div>
      <FormError text={err} />
      {signed && <p class="ok-msg" role="status" data-testid="handover-signed">{signed}</p>}
      <button type="submit" class="primary">
        {t('ho.sign')}
      </button>
    </form>
  );
}

export function HandoverPage(props: { me: Me }) {
  useLang();
  const { me } = props;
  const [incoming, setIncoming] = useState<Handover[]>([]);
  const [outgoing, setOutgoing] = useState<Handover[]>([]);
  const [formKey, setFormKey] = useState(0);
  const load = () => {
    getAll<Handover>('/handovers', { box: 'incoming', status: 'pending' }, 200).then(setIncoming).catch(() => setIncoming([]));
    getAll<Handover>('/handovers', { box: 'outgoing' }, 200).then((x) => setOutgoing(x.slice(-10).reverse())).catch(() => setOutgoing([]));
  };
  useEffect(load, []);
  useEvents((e) => {
    if (e.kind === 'handover.pending') toast(t('ho.notice', { who: userName(String(e.from_user_id ?? '')) }), '/handover');
    if (e.kind.startsWith('handover.')) load();
  });
  return (
    <section class="handover-page">
      <h1>{t('ho.title')}</h1>
      <section class="card">
        <h2>{t('ho.incoming')}</h2>
        {incoming.length === 0 ? (
          <p class="muted">{t('ho.none')}</p>
        ) : (
          <ul class="ho-list" data-testid="incoming-handovers">
            {incoming.map((h) => (
              <HandoverCard key={h.id} h={h} me={me} onDone={() => { load(); setFormKey(formKey + 1); }} />
            ))}
          </ul>
        )}
      </section>
      <HandoverForm key={formKey} me={me} onSigned={load} />
      <ClockWidget />
      <section class="card">
        <h2>{t('ho.mine')}</h2>
        <ul class="ho-list" data-testid="outgoing-handovers">
          {outgoing.map((h) => (
            <HandoverCard key={h.id} h={h} me={me} onDone={load} />
          ))}
        </ul>
      </section>
    </section>
  );
}
