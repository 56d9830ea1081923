import type { Candidate, ScanReceipt, ScanResult } from '../../api/types.js';
import { OBJECT_LABELS } from '../../format.js';

/** Router state of /receive opened from a distributor label. */
export interface ReceiveState {
  receipt: ScanReceipt;
  /** The scanned text, control characters made visible. */
  scanned: string;
  /** What the reader guessed or found odd, e.g. separators a scanner dropped. */
  warnings?: string[];
}

/** Where a scan leads: a page to open, or an answer to show where the scan was made. */
export type ScanTarget =
  | { kind: 'open'; path: string; state?: ReceiveState }
  | { kind: 'show'; message: string; candidates: Candidate[] };

/**
 * A distributor label opens a pre-filled receipt (even when it also names a part: receiving
 * is what a bag label is scanned for); a code opens its object; anything else is shown.
 */
export function scanTarget(result: ScanResult): ScanTarget {
  if (result.receipt)
    return {
      kind: 'open',
      path: '/receive',
      state: { receipt: result.receipt, scanned: result.text, warnings: result.warnings },
    };
  // The resolver answers the object's page, as labels and QR codes carry it (objectUrl).
  if (result.resolved) return { kind: 'open', path: result.resolved.url };
  const candidates = result.candidates ?? [];
  const message =
    result.message ??
    (candidates.length > 0
      ? `'${result.text}' matches ${candidates.length} objects`
      : `'${result.text}' was not recognised`);
  return { kind: 'show', message, candidates };
}

/** One line saying what a scan was, for the scan history. */
export function scanSummary(result: ScanResult): string {
  if (result.receipt) {
    const { part, mpn, supplierPartNumber, quantity } = result.receipt;
    const what = part?.name ?? mpn ?? supplierPartNumber ?? 'unknown part';
    return `Receive ${quantity ? `${quantity} × ` : ''}${what}`;
  }
  if (result.resolved) {
    const { kind, name, shortCode } = result.resolved;
    return `${OBJECT_LABELS[kind] ?? kind}: ${name || shortCode}`;
  }
  if (result.candidates?.length) return `${result.candidates.length} matching objects`;
  return result.message ?? 'Not recognised';
}
