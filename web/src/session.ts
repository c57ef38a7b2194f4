// Signing in and out, and the notices that pop up (toasts).
import { post, setCsrf, setUnauthorizedHandler, type Me } from './api';
import { cell, loadDirectory, meCell, navigate, startEvents, stopEvents } from './state';
import { refreshTransfers } from './transfers';

export interface Toast {
  id: number;
  text: string;
  href?: string;
}
export const toastsCell = cell<Toast[]>([]);
let toastSeq = 0;
export function toast(text: string, href?: string) {
  const id = ++toastSeq;
  toastsCell.set([...toastsCell.get(), { id, text, href }].slice(-4));
  setTimeout(() => toastsCell.set(toastsCell.get().filter((x) => x.id !== id)), 8000);
}

setUnauthorizedHandler(() => {
  if (meCell.get()) signedOut();
});

export async function signedIn(me: Me) {
  meCell.set(me);
  startEvents();
  try {
    await loadDirectory();
    meCell.set({ ...me });
  } catch {
    /* names fall back to ids */
  }
  refreshTransfers();
}

export function signedOut() {
  stopEvents();
  setCsrf('');
  meCell.set(null);
}

export async function onLogin(answer: { csrf_token: string; user: Me }) {
  setCsrf(answer.csrf_token);
  await signedIn(answer.user);
}

export async function logout() {
  try {
    await post('/auth/logout');
  } catch {
    /* signed out either way */
  }
  signedOut();
  navigate('/');
}
