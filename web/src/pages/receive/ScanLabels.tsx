import { useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { errorText } from '../../components/ErrorMessage.js';
import { CameraScanner } from '../../components/scan/CameraScanner.js';
import { SCANNER_INPUT } from '../../components/scan/scanner-input.js';
import { rowFromReceipt, type ReceiveRow } from './receive-rows.js';

type Said = { kind: 'added' | 'failed'; text: string } | null;

/**
 * Scan bag labels one after another: a keyboard-wedge scanner types each label and presses
 * Enter (or the camera reads it). Every distributor label becomes a row, pre-filled by the scan reader (part found by
 * supplier part number, then MPN); a label already in the list is not added twice.
 */
export function ScanLabels({ rows, onRow }: { rows: ReceiveRow[]; onRow(row: ReceiveRow): void }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said>(null);

  // The camera reads while rows are added: it checks duplicates against the rows of now.
  const current = useRef(rows);
  current.current = rows;

  const add = async (q: string) => {
    if (!q || busy) return;
    setBusy(true);
    try {
      const result = await api.scan(q);
      const listed = current.current;
      const twice = listed.findIndex((r) => r.scanned === result.text);
      if (!result.receipt) {
        setSaid({
          kind: 'failed',
          text: `Not a distributor bag label: ${result.message ?? `'${result.text}'`}`,
        });
      } else if (twice >= 0) {
        setSaid({
          kind: 'failed',
          text: `This label is row ${twice + 1} already; to receive a second bag, change that row’s quantity.`,
        });
      } else {
        const row = rowFromReceipt(result.receipt, result.text);
        onRow(row);
        const what = row.part?.name ?? `new part ${row.values.mpn ?? row.values.sku ?? ''}`;
        setSaid({
          kind: 'added',
          text: `Row ${listed.length + 1}: ${row.values.quantity ?? '?'} × ${what}`,
        });
      }
      setText('');
    } catch (error) {
      setSaid({ kind: 'failed', text: errorText(error) });
      input.current?.select();
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void add(text.trim());
  };

  return (
    <>
      <CameraScanner onRead={(read) => void add(read)} />
      <form className="card form" onSubmit={submit} aria-label="Scan bag labels">
        <div className="field field-wide">
          <label className="field-label" htmlFor="receive-scan">
            Scan a bag label
          </label>
          <input
            ref={input}
            id="receive-scan"
            name="label"
            autoFocus
            placeholder="Digi-Key, Mouser, LCSC or TME label"
            {...SCANNER_INPUT}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <span className="hint">
            Scan one label after another; each becomes a row below. Nothing is received until you
            press Receive.
          </span>
        </div>
        {said && (
          <p className={`field-wide ${said.kind === 'added' ? 'success' : 'error'}`} role="status">
            {said.text}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || !text.trim()}>
            {busy ? 'Reading…' : 'Add'}
          </button>
        </div>
      </form>
    </>
  );
}
