import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { Candidate } from '../api/types.js';
import { CandidateList } from './CandidateList.js';
import { errorText } from './ErrorMessage.js';
import { scanTarget } from './scan/scan-outcome.js';
import { SCANNER_INPUT } from './scan/scanner-input.js';

type Outcome =
  | { state: 'idle' }
  | { state: 'busy'; text: string }
  | { state: 'failed'; message: string; candidates: Candidate[] };

/**
 * The scan box of every page. A keyboard-wedge scanner types the label's text and presses
 * Enter; so does a person. The text goes to the scan reader: one object opens its page, a
 * distributor label opens a pre-filled receipt, several matches are listed, none is said so.
 */
export function ScanBox() {
  const api = useApi();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const [shownFor, setShownFor] = useState(pathname);

  // A new page closes the answer of the previous scan.
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOutcome({ state: 'idle' });
  }

  useEffect(() => {
    // Ready for the scanner at a desk; on a phone, do not pop the keyboard up unasked.
    const fine = window.matchMedia?.('(pointer: fine)').matches ?? false;
    if (fine && document.activeElement === document.body) input.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (!q || outcome.state === 'busy') return;
    setOutcome({ state: 'busy', text: q });
    const failed = (message: string, candidates: Candidate[]) => {
      setOutcome({ state: 'failed', message, candidates });
      // The next scan replaces the text instead of being appended to it.
      input.current?.select();
    };
    try {
      const target = scanTarget(await api.scan(q));
      if (target.kind === 'show') return failed(target.message, target.candidates);
      setText('');
      setOutcome({ state: 'idle' });
      navigate(target.path, { state: target.state });
    } catch (error) {
      failed(errorText(error), []);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setOutcome({ state: 'idle' });
  };

  return (
    <div className="scan">
      <form className="scan-form" role="search" onSubmit={submit}>
        <input
          ref={input}
          name="scan"
          type="search"
          aria-label="Scan or type a code"
          placeholder="Scan or type a code"
          {...SCANNER_INPUT}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" disabled={outcome.state === 'busy'}>
          Go
        </button>
      </form>
      {outcome.state === 'busy' && (
        <p className="scan-result" role="status">
          Looking up {outcome.text}…
        </p>
      )}
      {outcome.state === 'failed' && (
        <div className="scan-result" data-testid="scan-result">
          <p className="error" role="alert">
            {outcome.message}
          </p>
          {outcome.candidates.length > 0 && <CandidateList candidates={outcome.candidates} />}
          <button
            type="button"
            className="link-button"
            onClick={() => setOutcome({ state: 'idle' })}
          >
            Close
          </button>
        </div>
      )}
    </div>
  );
}
