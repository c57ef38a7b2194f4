// Small shared state: the signed-in person, the people and teams (for names
// and pickers), the live event stream, the hash route and a clock tick.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getAll, type Me, type Team, type User } from './api';

/** A value components can follow: get, set, and a hook that re-renders. */
export interface Cell<T> {
  get(): T;
  set(v: T): void;
  subscribe(f: (v: T) => void): () => void;
}
export function cell<T>(initial: T): Cell<T> {
  let value = initial;
  const subs = new Set<(v: T) => void>();
  return {
    get: () => value,
    set(v: T) {
      value = v;
      subs.forEach((f) => f(v));
    },
    subscribe(f) {
      subs.add(f);
      return () => {
        subs.delete(f);
      };
    },
  };
}
export function useCell<T>(c: Cell<T>): T {
  const [v, setV] = useState(c.get());
  useEffect(() => {
    setV(c.get());
    return c.subscribe(setV);
  }, [c]);
  return v;
}

/** undefined while the session is being checked, null when signed out. */
export const meCell = cell<Me | null | undefined>(undefined);
export const usersCell = cell<Map<string, User>>(new Map());
export const teamsCell = cell<Team[]>([]);

export function can(me: Me | null | undefined, perm: string) {
  return !!me && me.permissions.includes(perm);
}

export async function loadDirectory() {
  const [users, teams] = await Promise.all([getAll<User>('/users'), getAll<Team>('/teams')]);
  usersCell.set(new Map(users.map((u) => [u.id, u])));
  teamsCell.set(teams);
}

export function userName(id: string | null | undefined): string {
  if (!id) return '';
  return usersCell.get().get(id)?.name ?? '#' + id;
}

// ---- live events (GET /api/v1/events, server-sent) ----

export interface LiveEvent {
  kind: string;
  at: string;
  ticket_id: string;
  number: string;
  subject: string;
  status: string;
  priority: string;
  by: string | null;
  transfer_id?: number | string;
  reason?: string;
  [k: string]: unknown;
}

const KINDS = [
  'ticket.created', 'ticket.assigned', 'ticket.status', 'ticket.message', 'transfer.requested',
  'transfer.accepted', 'transfer.declined', 'ticket.escalated', 'ticket.escalation_notice', 'ticket.overdue',
  'roster.changed', 'leave.requested', 'leave.decided', 'swap.requested', 'swap.decided',
  'inbox.new', 'complaint.reported', 'complaint.approval_needed', 'complaint.resolution_decided',
  'complaint.customer_response', 'callback.poor_rating', 'callback.complaint',
  'handover.pending', 'handover.confirmed',
];
const eventSubs = new Set<(e: LiveEvent) => void>();
export const liveCell = cell<boolean>(false);
let source: EventSource | null = null;

export function startEvents() {
  stopEvents();
  const es = new EventSource('/api/v1/events');
  source = es;
  es.onopen = () => liveCell.set(true);
  es.onerror = () => liveCell.set(es.readyState === EventSource.OPEN);
  const deliver = (ev: MessageEvent) => {
    let data: LiveEvent;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (!data.kind) data.kind = ev.type;
    eventSubs.forEach((f) => f(data));
  };
  for (const k of KINDS) es.addEventListener(k, deliver as EventListener);
  es.onmessage = deliver;
}
export function stopEvents() {
  if (source) source.close();
  source = null;
  liveCell.set(false);
}

/** Calls f for every live event while the component is mounted. */
export function useEvents(f: (e: LiveEvent) => void, deps: unknown[] = []) {
  useEffect(() => {
    eventSubs.add(f);
    return () => {
      eventSubs.delete(f);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

// ---- the route: #/path?query ----

export interface Route {
  path: string;
  parts: string[];
  query: URLSearchParams;
}
function parseHash(): Route {
  const h = location.hash.replace(/^#/, '') || '/';
  const [path, q = ''] = h.split('?', 2);
  return { path, parts: path.split('/').filter(Boolean), query: new URLSearchParams(q) };
}
export function useRoute(): Route {
  const [r, setR] = useState(parseHash());
  useEffect(() => {
    const f = () => setR(parseHash());
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return r;
}
export function navigate(path: string) {
  location.hash = '#' + path;
}

// ---- a shared clock for countdowns ----

const nowCell = cell<number>(Date.now());
setInterval(() => nowCell.set(Date.now()), 1000);
export function useNow(): number {
  return useCell(nowCell);
}

/** A value that follows `value` after it stayed unchanged for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** Whether the viewport is phone-sized (the layout switches at 720 px). */
export function useNarrow(): boolean {
  const mq = window.matchMedia('(max-width: 720px)');
  const [n, setN] = useState(mq.matches);
  useEffect(() => {
    const f = () => setN(mq.matches);
    mq.addEventListener('change', f);
    return () => mq.removeEventListener('change', f);
  }, []);
  return n;
}

/**
 * Guards a page's loads: `begin()` at the start of a load gives a check that
 * stays true only while no later load has begun. A load still in flight for
 * the record the page showed before (a link to another ticket, an event)
 * would otherwise fill the page with that record when it answers last.
 */
export function useLatestLoad(): () => () => boolean {
  const latest = useRef(0);
  return () => {
    const mine = ++latest.current;
    return () => mine === latest.current;
  };
}
