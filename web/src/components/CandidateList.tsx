import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { Candidate } from '../api/types.js';
import { OBJECT_LABELS } from '../format.js';

/** The objects an ambiguous prefix matched, each a link to its page. */
export function CandidateList({
  candidates,
  onPick,
}: {
  candidates: Candidate[];
  onPick?(): void;
}) {
  return (
    <ul className="candidates" aria-label="Matching objects">
      {candidates.map((c) => (
        <li key={c.code}>
          <Link to={objectUrl('', c.code)} onClick={onPick}>
            <span className="badge">{OBJECT_LABELS[c.kind] ?? c.kind}</span>
            <code className="candidate-code">{c.code}</code>
            <span className="candidate-name">{c.name}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
