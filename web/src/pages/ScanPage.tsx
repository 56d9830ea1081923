import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { Candidate, ScanResult } from '../api/types.js';
import { CandidateList } from '../components/CandidateList.js';
import { errorText } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { CameraScanner } from '../components/scan/CameraScanner.js';
import { CollectedUnits, type CollectedUnit } from '../components/scan/CollectedUnits.js';
import { ScanHistory, type HistoryEntry } from '../components/scan/ScanHistory.js';
import {
  scanSummary,
  scanTarget,
  type ReceiveState,
  type ScanTarget,
} from '../components/scan/scan-outcome.js';
import { useSessionList } from '../components/scan/useSessionList.js';
import { SCANNER_INPUT } from '../components/scan/scanner-input.js';

/** What the page says about the latest scan. */
interface Answer {
  message: string;
  failed: boolean;
  candidates?: Candidate[];
  link?: { label: string; path: string; state?: ReceiveState };
}

const HISTORY_LENGTH = 50;
const CONTINUOUS_KEY = 'tracelot.scan.continuous';

/** `open` targets only; what a history entry or an answer links to. */
function linkOf(target: ScanTarget) {
  return target.kind === 'open' ? { path: target.path, state: target.state } : {};
}

/**
 * Scan with the camera or a keyboard-wedge scanner. One scan opens what it names; in
 * continuous mode each scanned lot or unit is added to a list instead, to ship or label them
 * all at once. Every scan goes into the tab's history.
 */
export function ScanPage() {
  const api = useApi();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [continuous, setContinuous] = useState(
    () => sessionStorage.getItem(CONTINUOUS_KEY) === 'on',
  );
  const [history, setHistory] = useSessionList<HistoryEntry>('tracelot.scan.history');
  const [collected, setCollected] = useSessionList<CollectedUnit>('tracelot.scan.collected');
  // Scans are read one after another, in the order they came, however fast they come.
  const queue = useRef(Promise.resolve());
  const mode = useRef(continuous);
  mode.current = continuous;
  // The list as of the latest scan: two quick scans of one unit must not both be added.
  const collectedNow = useRef(collected);
  collectedNow.current = collected;

  const record = (entry: Omit<HistoryEntry, 'id' | 'at'>) => {
    const at = new Date().toISOString();
    const id = `${at}-${Math.random().toString(36).slice(2)}`;
    setHistory((list) => [{ id, at, ...entry }, ...list].slice(0, HISTORY_LENGTH));
  };

  const collect = (result: ScanResult, target: ScanTarget) => {
    const found = result.resolved;
    if (target.kind === 'show')
      return setAnswer({ message: target.message, failed: true, candidates: target.candidates });
    if (result.receipt || found?.kind !== 'lot') {
      const receiving = result.receipt !== undefined;
      return setAnswer({
        message: receiving
          ? scanSummary(result)
          : `${scanSummary(result)}: only lots and units are collected`,
        failed: !receiving,
        link: { label: receiving ? 'Receive this stock' : 'Open it', ...target },
      });
    }
    const unit = { code: found.code, shortCode: found.shortCode, name: found.name };
    if (collectedNow.current.some((u) => u.code === unit.code))
      return setAnswer({ message: `${unit.shortCode} is in the list already`, failed: true });
    collectedNow.current = [...collectedNow.current, unit];
    setCollected((list) => (list.some((u) => u.code === unit.code) ? list : [...list, unit]));
    setAnswer({ message: `Added ${unit.shortCode} ${unit.name}`, failed: false });
  };

  const read = (scanned: string) => {
    const q = scanned.trim();
    if (!q) return;
    queue.current = queue.current.then(async () => {
      setBusy(true);
      try {
        const result = await api.scan(q);
        const target = scanTarget(result);
        record({
          text: result.text,
          summary: scanSummary(result),
          ...linkOf(target),
          failed: target.kind === 'show',
        });
        if (mode.current) collect(result, target);
        else if (target.kind === 'open') navigate(target.path, { state: target.state });
        else setAnswer({ message: target.message, failed: true, candidates: target.candidates });
      } catch (error) {
        const message = errorText(error);
        record({ text: q, summary: message, failed: true });
        setAnswer({ message, failed: true });
      } finally {
        setBusy(false);
      }
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Cleared at once: a scanner may type the next label before this one is read.
    setText('');
    read(text);
    input.current?.focus();
  };

  useEffect(() => {
    // At a desk, the scanner types into the input; on a phone, no keyboard pops up unasked.
    if (window.matchMedia?.('(pointer: fine)').matches) input.current?.focus();
    // A scanner's keystrokes that land nowhere (after a click on the page) go to the input.
    const onKeyDown = (event: KeyboardEvent) => {
      if (document.activeElement === document.body && event.key.length === 1)
        input.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const toggle = (on: boolean) => {
    setContinuous(on);
    sessionStorage.setItem(CONTINUOUS_KEY, on ? 'on' : 'off');
    setAnswer(null);
  };

  return (
    <>
      <h1>Scan</h1>
      <CameraScanner onRead={read} />
      <form className="card form scan-page-form" onSubmit={submit} aria-label="Scanner input">
        <Field label="Scanned text" hint="a keyboard scanner types here and presses Enter" wide>
          <input
            ref={input}
            name="scanned"
            {...SCANNER_INPUT}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Field>
        <label className="check field-wide">
          <input
            type="checkbox"
            name="continuous"
            checked={continuous}
            onChange={(e) => toggle(e.target.checked)}
          />
          Continuous: add each scanned unit to a list
        </label>
        <div className="actions">
          <button type="submit" disabled={!text.trim()}>
            Read
          </button>
        </div>
        {busy && (
          <p className="field-wide muted" role="status">
            Reading…
          </p>
        )}
        {answer && !busy && (
          <div className="field-wide" data-testid="scan-answer">
            <p
              className={answer.failed ? 'error' : 'success'}
              role={answer.failed ? 'alert' : 'status'}
            >
              {answer.message}
              {answer.link && (
                <Link to={answer.link.path} state={answer.link.state}>
                  {answer.link.label}
                </Link>
              )}
            </p>
            {answer.candidates && answer.candidates.length > 0 && (
              <CandidateList candidates={answer.candidates} />
            )}
          </div>
        )}
      </form>
      {continuous && (
        <CollectedUnits
          units={collected}
          onRemove={(code) => setCollected((list) => list.filter((u) => u.code !== code))}
          onClear={() => setCollected(() => [])}
        />
      )}
      <ScanHistory entries={history} onClear={() => setHistory(() => [])} />
    </>
  );
}
