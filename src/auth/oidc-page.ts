import { createHash } from 'node:crypto';

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}' +
  'main{background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002;padding:2rem;max-width:32rem;margin:1rem}' +
  'h1{font-size:1.4rem;margin-top:0}p{line-height:1.5}a{color:#1f5fbf}';

/**
 * The page's policy: nothing but its one style (by hash), no scripts, no forms, no framing. It is
 * answered under /api/, where the web UI's policy is not set.
 */
export const SIGN_ON_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Why a single sign-on was refused, for the person whose browser the provider sent back. */
export function refusedPage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in refused · Tracelot</title><style>${STYLE}</style></head>
<body><main>
<h1>Sign-in refused</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="/login">Back to the login page</a></p>
</main></body>
</html>
`;
}
