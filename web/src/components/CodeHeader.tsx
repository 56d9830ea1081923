import type { ReactNode } from 'react';
import { useApi } from '../api/ApiContext.js';

interface CodeHeaderProps {
  kind: string;
  title: string;
  code: string;
  shortCode: string;
  children?: ReactNode;
}

/**
 * Top of every object page: what it is, the 8-character short code that labels print (large,
 * to compare with a label at a glance), the full code, and the QR code of the page.
 */
export function CodeHeader({ kind, title, code, shortCode, children }: CodeHeaderProps) {
  const api = useApi();
  return (
    <section className="code-header">
      <div className="code-text">
        <p className="kind-label">{kind}</p>
        <h1>{title}</h1>
        <p className="short-code" data-testid="short-code" title="Short code (printed on labels)">
          {shortCode}
        </p>
        <p className="full-code">
          <span className="muted">Code </span>
          <code data-testid="full-code">{code}</code>
        </p>
        {children}
      </div>
      <img
        className="qr"
        src={api.qrUrl(code)}
        alt={`QR code of ${shortCode}`}
        width={132}
        height={132}
      />
    </section>
  );
}
