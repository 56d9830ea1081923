import type { ReactNode } from 'react';

/** Read-only fields as a definition list; empty values say so instead of vanishing. */
export function FieldList({ fields }: { fields: [label: string, value: ReactNode][] }) {
  return (
    <dl className="fields">
      {fields.map(([label, value], i) => (
        <div key={`${i}:${label}`} className="field-row">
          <dt>{label}</dt>
          <dd>
            {value === '' || value === null || value === undefined ? (
              <span className="muted">—</span>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Tags and custom fields, shared by parts, locations and lots. */
export function attributeFields(
  tags: string[],
  customFields: Record<string, string>,
): [string, ReactNode][] {
  const custom = Object.entries(customFields);
  return [
    [
      'Tags',
      tags.length ? (
        <span className="tags">
          {tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </span>
      ) : (
        ''
      ),
    ],
    ...custom.map(([key, value]): [string, ReactNode] => [key, value]),
  ];
}
