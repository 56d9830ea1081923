/**
 * How a form names the fields of the request it sends: the API's field path → the label the
 * form shows. `*` stands for any list index (`items.*.quantity`), and `{n}` in the label for
 * that index counted from 1 (`'lots.*.lot': 'Chosen lot {n}'`). The API keeps its paths in its
 * answers; only what people read on screen uses the labels.
 */
export type FieldLabels = Readonly<Record<string, string>>;

/** Paths that name no field a person filled in: the reason is shown alone. */
const UNNAMED = new Set(['', 'q', 'body', 'request', 'query', 'params']);

/** Reasons that read on from a field's name ("Quantity must not be negative"). */
const READS_ON =
  /^(must|is|are|was|were|cannot|can|has|have|needs?|should|may|does|do|already|exceeds)\b/;

/**
 * The label a form gives `path`: its own (exactly, or with the indices as `*`), else the path
 * said in words — `items.0.quantity` is "Item 1 quantity", `units.2` "Unit 3", `vendorLot`
 * "Vendor lot".
 */
export function fieldLabel(path: string, labels: FieldLabels = {}): string {
  const exact = labels[path];
  if (exact !== undefined) return exact;
  const pattern = labels[path.replace(/(^|\.)\d+(?=\.|$)/g, '$1*')];
  if (pattern === undefined) return pathInWords(path);
  const index = /(?:^|\.)(\d+)(?:\.|$)/.exec(path)?.[1];
  return index === undefined ? pattern : pattern.replace('{n}', String(Number(index) + 1));
}

function pathInWords(path: string): string {
  const words: string[] = [];
  for (const part of path.split('.')) {
    if (/^\d+$/.test(part)) {
      // An index counts from 1 and names one of the list before it.
      const list = words.pop() ?? 'item';
      words.push(`${singular(list)} ${Number(part) + 1}`);
    } else {
      words.push(
        part
          .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
          .replace(/_/g, ' ')
          .toLowerCase(),
      );
    }
  }
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function singular(noun: string): string {
  if (noun.endsWith('ies')) return `${noun.slice(0, -3)}y`;
  if (noun.endsWith('s') && !noun.endsWith('ss')) return noun.slice(0, -1);
  return noun;
}

/**
 * A message about field `path` for people: "Quantity must not be negative" (the API says
 * `items.0.quantity: must not be negative`); a reason that does not read on gets a colon.
 */
export function fieldMessage(path: string, reason: string, labels?: FieldLabels): string {
  if (UNNAMED.has(path)) return reason;
  const label = fieldLabel(path, labels);
  return READS_ON.test(reason) ? `${label} ${reason}` : `${label}: ${reason}`;
}
