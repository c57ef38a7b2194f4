// The HTTP API as the console uses it: JSON in and out, the session cookie
// (HttpOnly, set by sign-in) and the CSRF token from the sign-in answer on
// every unsafe request (docs/api.md). Errors become ApiError with the
// `field` the server names, so that forms can show them next to the field.

export type Role =
  | 'agent' | 'technician' | 'team_lead' | 'supervisor' | 'manager' | 'vp' | 'gm' | 'analyst' | 'admin';
export type TicketStatus =
  | 'new' | 'assigned' | 'in_progress' | 'pending_customer' | 'resolved' | 'closed' | 'reopened';
export type TicketType = 'complaint' | 'inquiry' | 'query' | 'repair' | 'suggestion' | 'help' | 'service';
export type TicketChannel = 'phone' | 'visit' | 'letter' | 'fax' | 'web' | 'chat' | 'other';
export type TicketPriority = 'normal' | 'urgent' | 'critical';
export type EscalationLevel = 'supervisor' | 'manager' | 'vp' | 'gm';

export interface User {
  id: string;
  login: string;
  name: string;
  role: Role;
  level: string | null;
  team_id: string | null;
  active: boolean;
}
export interface Me extends User {
  permissions: string[];
}
export interface Team {
  id: string;
  name: string;
}
export interface Customer {
  id: string;
  name: string;
  phone: string | null;
  alt_phone: string | null;
  email: string | null;
  address: string | null;
  id_number: string | null;
  company: string | null;
  grade: string;
  birthday: string | null;
  tags: string[];
  notes: string | null;
  last_callback_at: string | null;
  masked: boolean;
  created_at: string;
  version: number;
}
export interface TicketSummary {
  id: string;
  number: string;
  type: TicketType;
  channel: TicketChannel;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  customer_id: string;
  customer_name: string;
  owner_id: string;
  assignee_id: string | null;
  escalated_to: EscalationLevel | null;
  overdue: boolean;
  next_due_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}
export interface Deadline {
  kind: string;
  rule: string;
  due_at: string;
  met_at: string | null;
  overdue_at: string | null;
}
export interface Product {
  model?: string;
  spec?: string;
  purchased_on?: string;
  purchased_at?: string;
}
export interface Ticket extends TicketSummary {
  contact: string | null;
  description: string;
  customer: Customer;
  product: Product | null;
  service_class: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  deadlines: Deadline[];
  allowed_transitions: TicketStatus[];
}
export interface TicketEvent {
  id: string;
  at: string;
  kind: string;
  internal: boolean;
  actor_id: string | null;
  actor_name: string | null;
  body: string | null;
  detail: Record<string, unknown>;
}
export interface Transfer {
  id: string;
  ticket_id: string;
  ticket_number: string;
  ticket_subject: string;
  from_user_id: string;
  to_user_id: string;
  reason: string;
  status: 'pending' | 'accepted' | 'declined';
  created_at: string;
  decided_at: string | null;
}
export interface Verification {
  id: string;
  customer_id: string;
  method: string;
  passed: boolean;
  at: string;
  expires_at: string | null;
}
// ---- workforce (W-1 … W-13) ----
export interface RosterViolation {
  rule: string;
  kind: string;
  hard: boolean;
  user_id: string | null;
  date: string | null;
  shift: string | null;
  message: string;
}
export interface RosterAgent {
  user_id: string;
  name: string;
  team_id: string | null;
  cells: string[];
  counts: { work_days: number; late: number; weekend: number; holiday: number; leave: number };
  wishes: { days_off: string[]; preferred_shift: string | null };
}
export interface Roster {
  month: string;
  status: 'draft' | 'published';
  version: number;
  days: { date: string; weekday: string; holiday: boolean }[];
  shifts: { name: string; start: string; end: string; is_late_shift: boolean }[];
  agents: RosterAgent[];
  gaps: { date: string; shift: string; need: number; assigned: number; short: number }[];
  violations: RosterViolation[];
  change_violations?: RosterViolation[];
  hard_violations: number;
  shortfalls: { date: string; shift: string; message: string }[];
}
export interface LeaveRequest {
  id: string;
  user_id: string;
  user_name: string | null;
  type: string;
  start: string;
  end: string;
  days: number;
  reason: string;
  late_notice: boolean;
  status: 'pending' | 'approved' | 'rejected';
  levels: string[];
  awaiting: string | null;
}
export interface SwapRequest {
  id: string;
  date: string;
  requester_id: string;
  requester_name: string | null;
  with_user_id: string;
  with_user_name: string | null;
  shift: string;
  with_shift: string | null;
  status: 'pending' | 'approved' | 'rejected';
}
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
export interface LoginAnswer {
  token: string;
  csrf_token: string;
  expires_at: string;
  user: Me;
}

export class ApiError extends Error {
  status: number;
  code: string;
  field?: string;
  rule?: string;
  retryAfter?: number;
  constructor(status: number, code: string, message: string, field?: string, rule?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.rule = rule;
  }
}

const CSRF_KEY = 'kefu.csrf';
let csrf = localStorage.getItem(CSRF_KEY) || '';
let onUnauthorized: () => void = () => {};

export function setCsrf(token: string) {
  csrf = token;
  if (token) localStorage.setItem(CSRF_KEY, token);
  else localStorage.removeItem(CSRF_KEY);
}
export function hasCsrf() {
  return csrf !== '';
}
/** Called when a request answers 401: the session ended. */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** A query string of the members that are set (empty strings are left out). */
export function qs(q: Query = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}

/** One request to the API: JSON in and out, `csrf` sent on unsafe methods,
 * errors as ApiError; `unauthorized` is called on a 401. The console and
 * the customer portal each keep their own session and CSRF token. */
export async function request<T>(
  method: string,
  path: string,
  body: unknown,
  opts: { csrf: string; unauthorized?: () => void; signal?: AbortSignal },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && opts.csrf) headers['x-csrf-token'] = opts.csrf;
  const res = await fetch('/api/v1' + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal: opts.signal,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json && json.error ? json.error : { code: 'internal', message: res.statusText };
    const err = new ApiError(res.status, e.code, e.message, e.field, e.rule);
    const ra = res.headers.get('retry-after');
    if (ra) err.retryAfter = Number(ra);
    if (res.status === 401 && opts.unauthorized) opts.unauthorized();
    throw err;
  }
  return json as T;
}

export function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>(method, path, body, {
    csrf,
    signal,
    unauthorized: path !== '/auth/login' ? onUnauthorized : undefined,
  });
}

export const get = <T>(path: string, q?: Query, signal?: AbortSignal) => api<T>('GET', path + qs(q), undefined, signal);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body);
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body);

/** Every page of a list, up to `max` items (for short lists: users, a timeline). */
export async function getAll<T>(path: string, q: Query = {}, max = 2000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(path, { ...q, limit: 200, cursor });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

/** Whether an error was the fetch being aborted (a newer request replaced it). */
export function isAbort(e: unknown) {
  return e instanceof DOMException && e.name === 'AbortError';
}

// ---- complaints, inbox, callbacks (K, V) ----

export interface Resolution {
  id: string;
  ticket_id: string;
  ticket_number: string;
  kind: string;
  summary: string;
  amount_fen: number | null;
  quantity: number | null;
  required_approver_role: Role | null;
  status: 'pending_approval' | 'approved' | 'rejected' | 'sent' | 'accepted' | 'refused';
  created_by: string;
  created_at: string;
  decided_by: string | null;
  decided_role: string | null;
  decided_at: string | null;
  decision_comment: string | null;
  sent_at: string | null;
  responded_at: string | null;
  response_comment: string | null;
  follow_up_ticket_id: string | null;
}
export interface ComplaintForm {
  cause: string | null;
  non_quality_kind: string | null;
  severity: string | null;
  service_caused: boolean;
  responsible_user_id: string | null;
  responsible_department: string | null;
  investigation: string | null;
  order_no: string | null;
  batch: string | null;
  delivered_on: string | null;
  defective_qty: number | null;
  parent_id: string | null;
  root_id: string;
  chain: { id: string; number: string; status: TicketStatus; parent_id: string | null }[];
  resolutions: Resolution[];
}
export interface Notification {
  id: string;
  kind: string;
  ticket_id: string | null;
  payload: Record<string, any>;
  created_at: string;
  read_at: string | null;
}
export interface InboxPage extends Page<Notification> {
  unread: number;
}
export interface Callback {
  id: string;
  ticket_id: string;
  ticket_number: string;
  ticket_type: TicketType;
  ticket_subject: string;
  status: 'due' | 'unreached' | 'done';
  due_at: string;
  agent_id: string;
  survey_expires_at: string;
  survey_link_used_at: string | null;
  reached: boolean | null;
  answered_via: string | null;
  survey: Record<string, string | number> | null;
  comment: string | null;
  follow_up_ticket_id: string | null;
}
export const SURVEY_DIMS = ['attitude', 'skill', 'arrival', 'promise'] as const;
export const RATINGS = ['very_satisfied', 'satisfied', 'average', 'poor'] as const;
/** The customer's survey page for a token (hash route, no sign-in). */
export function surveyUrl(token: string) {
  return location.origin + '/#/survey/' + token;
}
/** Fen as yuan with two decimals. */
export function yuan(fen: number | null | undefined) {
  return fen === null || fen === undefined ? '' : (fen / 100).toFixed(2);
}

// ---- attendance, handover, duty log (W-15 … W-18) ----

export interface ShiftRef {
  name: string | null;
  start: string;
  end: string;
  late_shift: boolean;
  rostered: boolean;
}
export interface ClockAnswer {
  clocked_in: boolean;
  at: string;
  shift: ShiftRef | null;
  late_minutes: number;
  absence: boolean;
  early_leave_minutes: number;
  extended: boolean;
  overtime_minutes: number;
}
export interface AttendanceShift extends ShiftRef {
  status: string;
  clock_in: string | null;
  clock_out: string | null;
  late_minutes: number;
  early_leave_minutes: number;
  away_minutes: number;
  absence_reason: string | null;
  on_leave: boolean;
  extended: boolean;
  overtime_minutes: number;
  /** W-14: a shift taken through an approved swap and missed. */
  missed_swap?: {
    rule: 'W-14';
    swap_id: string;
    responsible_user_id: string;
    responsible_name: string;
    taken_from_user_id: string;
    taken_from_name: string;
    counts_as_absenteeism: boolean;
    fine_fen: number;
  };
}
export interface AttendanceMonth {
  user_id: string;
  month: string;
  days: { date: string; shifts: AttendanceShift[]; unscheduled: { clock_in: string; clock_out: string | null }[] }[];
  summary: {
    late: number; early_leave: number; absence: number; absenteeism: number; on_leave: number;
    overtime_minutes: number; full_attendance: boolean; month_over: boolean;
    missed_swap_shifts: number; swap_fines_fen: number;
  };
}
export type HandoverItemKind = 'ticket' | 'callback' | 'promise' | 'other';
export interface HandoverItem {
  id: string | null;
  kind: HandoverItemKind;
  ticket_id: string | null;
  ticket_number: string | null;
  callback_id: string | null;
  text: string;
  resolved: boolean;
  carried_from_item_id: string | null;
  handed_over_at?: string;
}
export interface Handover {
  id: string;
  from_user_id: string;
  from_name: string;
  to_user_id: string | null;
  to_name: string | null;
  status: 'pending' | 'confirmed';
  equipment_checked: boolean;
  equipment_note: string | null;
  anomalies: string | null;
  notes: string | null;
  created_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  confirm_note: string | null;
  items: HandoverItem[];
}
export interface DutyEntry {
  id: string;
  author_id: string;
  author_name: string;
  day: string;
  shift: string | null;
  kind: 'event' | 'call' | 'incident' | 'note';
  body: string;
  occurred_at: string;
  created_at: string;
  corrects_id: string | null;
  corrected_by: string | null;
}
