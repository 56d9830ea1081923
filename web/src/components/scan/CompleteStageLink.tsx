import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { formatRanges, toRanges } from '@domain/serial-ranges.js';
import { useApi } from '../../api/ApiContext.js';
import { errorText } from '../ErrorMessage.js';

/** What the build page's complete-stage form starts with when opened from the scan page. */
export interface CompleteUnitsState {
  /** Build serials, e.g. `1-5, 8`. */
  completeUnits: string;
}

/**
 * Opens the build page with its complete-stage form set to the collected units — when they are
 * all units of one build; otherwise says why not.
 */
export function CompleteStageLink({ codes }: { codes: string[] }) {
  const api = useApi();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const open = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const { units, notUnits } = await api.units.statuses(codes);
      const builds = new Map(units.flatMap((u) => (u.build ? [[u.build.code, u.build]] : [])));
      const others = [
        ...notUnits.map((n) => n.code.slice(0, 8)),
        ...units.filter((u) => !u.build).map((u) => u.shortCode),
      ];
      if (others.length > 0 || builds.size !== 1) {
        setProblem(
          others.length > 0
            ? `${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} not a build's unit`
            : `the units belong to ${builds.size} builds (${[...builds.values()].map((b) => b.shortCode).join(', ')}): collect one build's units`,
        );
        return;
      }
      const [build] = [...builds.values()];
      const state: CompleteUnitsState = {
        completeUnits: formatRanges(toRanges(units.map((u) => u.build!.serial)), '-'),
      };
      void navigate(objectUrl('', build!.code), { state });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={() => void open()}>
        {busy ? 'Looking up the units…' : 'Complete a stage for them'}
      </button>
      {problem && (
        <p className="error field-wide" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
