import { useState, type ReactNode } from 'react';

/** The width from which wide.css lays pages out for a desk (keep the two equal). */
const WIDE = '(min-width: 720px)';

/**
 * A long section (history, genealogy, consumption…) folded behind its heading, so that on a
 * phone what a person does on the page comes first. Folded on narrow screens, open on wider
 * ones; the summary says how much lies inside (`count`) so a folded section still informs.
 */
export function Fold({
  title,
  count,
  children,
}: {
  title: string;
  /** Shown beside the title: how many items the section holds, when known. */
  count?: number | undefined;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(() => window.matchMedia(WIDE).matches);
  return (
    <section className="section fold" aria-label={title}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <h2>{title}</h2>
          {count !== undefined && (
            <span className="badge fold-count" data-testid="fold-count">
              {count}
            </span>
          )}
        </summary>
        {children}
      </details>
    </section>
  );
}
