import type { BomApproval } from '../../api/types.js';
import { formatDateTime } from '../../format.js';

/** "by ann on 6 Dec 2026, 02:10 (signed: approved)", or "(not signed)". */
export function signedByText(by: string, at: string, signature: BomApproval['signature']): string {
  return `by ${by} on ${formatDateTime(at)} (${signature ? `signed: ${signature.meaning}` : 'not signed'})`;
}
