export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-busy="true">
      Loading {what}…
    </p>
  );
}
