/** What the last action did (`Test added.`), announced to screen readers; nothing when empty. */
export function Notice({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p className="success" role="status">
      {text}
    </p>
  );
}
