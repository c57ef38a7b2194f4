// Queues: mine (assigned to me), owned by me (T-5), my team's, or all, with
// the API's filters, paged by cursor as the list scrolls, and kept current
// by the event stream.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, isAbort, type Me, type Page, type Query, type TicketSummary } from '../api';
import { t, tv, useLang } from '../i18n';
import { navigate, useEvents, useNarrow, userName } from '../state';
import { Countdown, DUE_SOON_MS, PriorityBadge, StatusBadge, errorText } from '../ui';
import { VirtualList } from '../virtual';

const PAGE = 100;
const STATUSES = ['new', 'assigned', 'in_progress', 'pending_customer', 'resolved', 'closed', 'reopened'];
const TYPES = ['complaint', 'inquiry', 'query', 'repair', 'suggestion', 'help', 'service'];

export interface TicketList {
  items: TicketSummary[];
  loading: boolean;
  done: boolean;
  error: string;
  loadMore: () => void;
  reload: () => void;
}

/** The tickets of `GET /tickets` for a query, a page at a time as asked for;
 * reloads everything loaded so far when an event may have changed it. */
export function useTicketList(query: Query | null, pageSize = PAGE): TicketList {
  const key = JSON.stringify(query);
  const [items, setItems] = useState<TicketSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const cursor = useRef<string | null>(null);
  const done = useRef(false);
  const busy = useRef<AbortController | null>(null);
  const loaded = useRef(0);
  const [, force] = useState(0);

  async function fetchPage(reset: boolean) {
    if (!query) return;
    if (!reset && (busy.current || done.current)) return;
    busy.current?.abort();
    const ac = new AbortController();
    busy.current = ac;
    setLoading(true);
    try {
      if (reset) {
        // Fetch as many as were shown, so that a refresh keeps the place.
        const want = Math.max(pageSize, loaded.current);
        const got: TicketSummary[] = [];
        let c: string | null = null;
        do {
          const page: Page<TicketSummary> = await get<Page<TicketSummary>>('/tickets', { ...query, limit: Math.min(200, want - got.length), cursor: c }, ac.signal);
          got.push(...page.items);
          c = page.next_cursor;
        } while (c && got.length < want);
        cursor.current = c;
        done.current = !c;
        loaded.current = got.length;
        setItems(got);
      } else {
        const page = await get<Page<TicketSummary>>('/tickets', { ...query, limit: pageSize, cursor: cursor.current }, ac.signal);
        cursor.current = page.next_cursor;
        done.current = !page.next_cursor;
        setItems((old) => {
          const seen = new Set(old.map((x) => x.id));
          const all = old.concat(page.items.filter((x) => !seen.has(x.id)));
          loaded.current = all.length;
          return all;
        });
      }
      setError('');
    } catch (e) {
      if (!isAbort(e)) setError(errorText(e));
    } finally {
      if (busy.current === ac) {
        busy.current = null;
        setLoading(false);
        force((n) => n + 1);
      }
    }
  }

  useEffect(() => {
    loaded.current = 0;
    cursor.current = null;
    done.current = false;
    setItems([]);
    fetchPage(true);
    return () => busy.current?.abort();
  }, [key]);

  // Anything about a ticket may move it into, out of or within the list.
  const timer = useRef(0);
  const reload = () => {
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => fetchPage(true), 400);
  };
  useEvents(() => reload(), [key]);
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') fetchPage(true);
    }, 30000);
    return () => {
      clearInterval(id);
      clearTimeout(timer.current);
    };
  }, [key]);

  return { items, loading, done: done.current, error, loadMore: () => fetchPage(false), reload };
}

export interface Counts {
  open: number;
  overdue: number;
  dueSoon: number;
  more: boolean;
}

/** `GET /tickets/counts`: a queue's open tickets counted by the server. */
export interface CountsAnswer {
  open: number;
  overdue: number;
  due_soon: number;
  by_assignee: { assignee_id: string | null; open: number; overdue: number; due_soon: number }[];
}

/** Calls load now, after events (debounced), every 30 s while visible, and
 * every minute (what is due soon changes as time passes). */
export function useServerCounts(scope: Query | null): CountsAnswer | null {
  const key = JSON.stringify(scope);
  const [c, setC] = useState<CountsAnswer | null>(null);
  const timer = useRef(0);
  const load = () => {
    if (!scope) return;
    get<CountsAnswer>('/tickets/counts', { ...scope, due_soon_minutes: DUE_SOON_MS / 60000 })
      .then(setC)
      .catch(() => {
        /* the counts stay as they were */
      });
  };
  useEffect(() => {
    setC(null);
    load();
    const id = setInterval(() => document.visibilityState === 'visible' && load(), 30000);
    return () => {
      clearInterval(id);
      clearTimeout(timer.current);
    };
  }, [key]);
  useEvents(() => {
    clearTimeout(timer.current);
    timer.current = window.setTimeout(load, 400);
  }, [key]);
  return c;
}

/** Overdue and due-soon counts of the open tickets of a queue, computed by
 * the server (`GET /tickets/counts`), kept current by the event stream. */
export function useQueueCounts(scope: Query | null): Counts | null {
  const c = useServerCounts(scope);
  return c ? { open: c.open, overdue: c.overdue, dueSoon: c.due_soon, more: false } : null;
}

export function scopeQuery(me: Me, scope: string): Query | null {
  if (scope === 'mine') return { assignee_id: 'me' };
  if (scope === 'owned') return { owner_id: 'me' };
  if (scope === 'team') return me.team_id ? { team_id: me.team_id } : null;
  if (scope === 'all') return {};
  return { assignee_id: 'me' };
}

function filterQuery(q: URLSearchParams): Query {
  const status = q.get('status') || 'open';
  const out: Query = {};
  if (status === 'open') out.open = true;
  else if (status !== 'any') out.status = status;
  if (q.get('type')) out.type = q.get('type');
  if (q.get('overdue') === 'true' || q.get('overdue') === 'false') out.overdue = q.get('overdue');
  return out;
}

export function QueuePage(props: { me: Me; scope: string; query: URLSearchParams }) {
  useLang();
  const { me, scope, query } = props;
  const base = scopeQuery(me, scope);
  const filters = filterQuery(query);
  const list = useTicketList(base ? { ...base, ...filters } : null);
  const counts = useQueueCounts(base);
  const title = scope === 'owned' ? t('nav.owned') : scope === 'team' ? t('nav.team') : scope === 'all' ? t('nav.all') : t('nav.mine');

  function setFilter(name: string, value: string) {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value);
    else q.delete(name);
    const s = q.toString();
    navigate('/queue/' + scope + (s ? '?' + s : ''));
  }
  const sel = (ev: Event) => (ev.target as HTMLSelectElement).value;

  return (
    <section class="queue-page">
      <div class="queue-head">
        <h1>{title}</h1>
        {counts && (
          <p class="queue-counts" data-testid="queue-counts">
            <span class={counts.overdue ? 'c-over' : ''}>
              {t('counts.overdue')} {counts.overdue}
            </span>
            <span class={counts.dueSoon ? 'c-soon' : ''}>
              {t('counts.due_soon')} {counts.dueSoon}
            </span>
            <span>
              {t('counts.open')} {counts.open}
              {counts.more ? '+' : ''}
            </span>
          </p>
        )}
        <form class="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
          <label>
            <span>{t('queue.status')}</span>
            <select name="status" value={query.get('status') || 'open'} onChange={(e) => setFilter('status', sel(e) === 'open' ? '' : sel(e))}>
              <option value="open">{t('queue.status.open')}</option>
              <option value="any">{t('queue.status.any')}</option>
              {STATUSES.map((s) => (
                <option value={s}>{tv('status', s)}</option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('queue.type')}</span>
            <select name="type" value={query.get('type') || ''} onChange={(e) => setFilter('type', sel(e))}>
              <option value="">{t('queue.type.any')}</option>
              {TYPES.map((s) => (
                <option value={s}>{tv('type', s)}</option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('queue.overdue')}</span>
            <select name="overdue" value={query.get('overdue') || ''} onChange={(e) => setFilter('overdue', sel(e))}>
              <option value="">{t('queue.overdue.any')}</option>
              <option value="true">{t('queue.overdue.yes')}</option>
              <option value="false">{t('queue.overdue.no')}</option>
            </select>
          </label>
        </form>
      </div>
      {!base ? <p class="page-msg">{t('queue.no_team')}</p> : <TicketTable list={list} label={title} />}
    </section>
  );
}

/** A ticket list as a table on wide screens and as cards on narrow ones. */
export function TicketTable(props: { list: TicketList; label: string }) {
  const { list } = props;
  const narrow = useNarrow();
  const rowHeight = narrow ? 68 : 46;
  return (
    <div class="ticket-table">
      {!narrow && (
        <div class="thead" aria-hidden="true">
          <span>{t('col.number')}</span>
          <span>{t('col.subject')}</span>
          <span>{t('col.customer')}</span>
          <span>{t('col.status')}</span>
          <span>{t('col.priority')}</span>
          <span>{t('col.assignee')}</span>
          <span>{t('col.due')}</span>
        </div>
      )}
      <VirtualList
        items={list.items}
        rowHeight={rowHeight}
        label={props.label}
        keyOf={(x) => x.id}
        onNearEnd={list.loadMore}
        render={(x, i) => <TicketRow ticket={x} index={i} />}
        footer={
          <div class="vlist-foot" role="status">
            {list.error ? (
              <span class="form-error">
                {list.error}{' '}
                <button type="button" class="link" onClick={list.reload}>
                  {t('common.retry')}
                </button>
              </span>
            ) : list.loading ? (
              t('queue.loading')
            ) : list.items.length === 0 ? (
              t('queue.empty')
            ) : list.done ? (
              t('queue.all_loaded', { n: list.items.length })
            ) : (
              <button type="button" class="link" onClick={list.loadMore}>
                {t('queue.shown', { n: list.items.length })} · {t('queue.more')}
              </button>
            )}
          </div>
        }
      />
    </div>
  );
}

function TicketRow(props: { ticket: TicketSummary; index: number }) {
  const x = props.ticket;
  return (
    <a class={'trow' + (x.overdue ? ' is-over' : '')} href={'#/tickets/' + x.id} data-index={props.index} data-number={x.number}>
      <span class="c-num">{x.number}</span>
      <span class="c-subj">
        <span class="type-tag">{tv('type', x.type)}</span>
        {x.subject}
      </span>
      <span class="c-cust">{x.customer_name}</span>
      <span class="c-st">
        <StatusBadge status={x.status} />
      </span>
      <span class="c-prio">
        <PriorityBadge priority={x.priority} />
      </span>
      <span class="c-asg">{x.assignee_id ? userName(x.assignee_id) : <em>{t('ticket.unassigned')}</em>}</span>
      <span class="c-due">
        <Countdown dueAt={x.next_due_at} overdue={x.overdue} />
      </span>
    </a>
  );
}
