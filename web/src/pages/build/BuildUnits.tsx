import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { formatRanges, toRanges } from '@domain/serial-ranges.js';
import { parseSerialRanges } from '@domain/unit-refs.js';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { Build, BuildUnit } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Pager } from '../../components/Pager.js';
import { formatQuantity } from '../../format.js';
import { useLoad } from '../../hooks/useLoad.js';
import { readInput } from '../../read-input.js';
import type { UnitSelection } from './CompleteStageForm.js';
import { ScrapForm } from './ScrapForm.js';
import { UnitsTable } from './UnitsTable.js';

/** Units per page: a build of 10,000 units is read and drawn a page at a time. */
const PAGE = 50;

interface BuildUnitsProps {
  build: Build;
  /** Editors of a build in progress tick units and scrap them. */
  canAct: boolean;
  selection: UnitSelection;
  onSelection(selection: UnitSelection): void;
  /** Changes when the units changed elsewhere (a stage completed): the page loads again. */
  version: string;
  onChanged(message: string): void;
}

/** The units of a serialized build, a page at a time, with ticking and scrapping. */
export function BuildUnits(props: BuildUnitsProps) {
  const { build, canAct, selection, onSelection, version, onChanged } = props;
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const [scrapping, setScrapping] = useState<BuildUnit | null>(null);
  const units = useLoad(
    (signal) => api.builds.units(build.code, { limit: PAGE, offset }, signal),
    [build.code, offset, version],
  );

  if (!build.serialized) {
    return (
      <p className="empty">
        This build is not serialized: its output is one lot of {formatQuantity(build.quantity)} ×{' '}
        <Link to={objectUrl('', build.part.code)}>{build.part.name}</Link>, listed in that part’s
        stock.
      </p>
    );
  }
  // Within 1..quantity (parseSerialRanges checks): expanding the ranges costs at most a build.
  const selected = new Set(
    (readInput(() => parseSerialRanges(selection.text, build.quantity)).value ?? []).flatMap((r) =>
      Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i),
    ),
  );
  const toggle = (serials: number[], on: boolean) => {
    for (const s of serials) {
      if (on) selected.add(s);
      else selected.delete(s);
    }
    onSelection({ mode: 'chosen', text: formatRanges(toRanges(selected), '-') });
  };
  const scrapped = (unit: BuildUnit) => {
    setScrapping(null);
    units.reload();
    onChanged(`Scrapped ${unit.label}.`);
  };

  return (
    <>
      {scrapping && (
        <ScrapForm
          key={scrapping.code}
          build={build.code}
          unit={scrapping}
          onDone={scrapped}
          onClose={() => setScrapping(null)}
        />
      )}
      {units.error !== undefined && <ErrorMessage error={units.error} retry={units.reload} />}
      {units.loading && !units.data && <Loading what="units" />}
      {units.data && units.data.items.length > 0 && (
        <UnitsTable
          units={units.data.items}
          selected={canAct ? selected : undefined}
          onToggle={toggle}
          onScrap={canAct ? setScrapping : undefined}
        />
      )}
      {units.data && <Pager {...units.data} onOffset={setOffset} />}
    </>
  );
}
