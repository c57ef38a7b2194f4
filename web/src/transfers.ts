// The transfers offered to the signed-in person (T-5), kept for the top
// bar's count and the ticket view's accept / decline.
import { getAll, type Transfer } from './api';
import { cell } from './state';

export const transfersCell = cell<Transfer[]>([]);

export async function refreshTransfers() {
  try {
    transfersCell.set(await getAll<Transfer>('/transfers', { box: 'incoming', status: 'pending' }, 200));
  } catch {
    /* the count stays as it was */
  }
}
