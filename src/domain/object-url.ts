/**
 * The page of an object: what labels' symbols carry, the QR route draws, the resolver answers
 * and the web app serves at `/c/:ref`. A trailing `/` of the base is dropped:
 * `objectUrl('https://t.example.com/', c)` is `https://t.example.com/c/<c>`; base `''` gives the
 * path `/c/<c>`.
 */
export function objectUrl(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}/c/${code}`;
}
