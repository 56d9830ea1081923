import { useApi } from '../../api/ApiContext.js';
import type { BuildUnit } from '../../api/types.js';
import { ReasonForm } from '../../components/ReasonForm.js';

/** Scraps one unit, with a reason; its history and what it consumed stay recorded. */
export function ScrapForm({
  build,
  unit,
  onDone,
  onClose,
}: {
  build: string;
  unit: BuildUnit;
  onDone(unit: BuildUnit): void;
  onClose(): void;
}) {
  const api = useApi();
  return (
    <ReasonForm
      label="Scrap a unit"
      name="scrapReason"
      hint="recorded in the unit's history"
      action={[`Scrap ${unit.label}`, 'Scrapping…']}
      danger
      autoFocus
      onClose={onClose}
      act={async (reason, run) => {
        const scrapped = await run(() => api.builds.scrap(build, unit.code, reason));
        if (scrapped) onDone(scrapped);
      }}
    >
      <h3>Scrap {unit.label}</h3>
    </ReasonForm>
  );
}
