import { ValidationError } from './errors.js';

/** zpl: ZPL II over a raw TCP socket (port 9100); ipp: PDF by IPP/1.1 Print-Job. */
export const PRINTER_KINDS = ['zpl', 'ipp'] as const;
export type PrinterKind = (typeof PRINTER_KINDS)[number];

/** queued → sent, or failed with the printer's reason; a failed job is queued again by a retry. */
export const PRINT_JOB_STATUSES = ['queued', 'sent', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

export const RAW_PRINT_PORT = 9100;

/**
 * A printer's address in its one stored form. ZPL: `host` or `host:port` (default 9100), e.g.
 * `10.0.0.5` → `10.0.0.5:9100`, `[fd00::5]:9100` for IPv6. IPP: an `ipp://` or `http://` URI
 * (`ipp://cups.local:631/printers/zebra`); `ipps://` is refused, this client speaks no TLS.
 */
export function normalizePrinterAddress(kind: PrinterKind, address: string): string {
  const text = address.trim();
  if (text === '') throw new ValidationError('address', 'must not be empty');
  if (kind === 'zpl') {
    const { host, port } = tcpAddress(text);
    return `${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(
      'address',
      `'${text}' is not a URL: give ipp://host:631/printers/NAME`,
    );
  }
  if (url.protocol === 'ipps:' || url.protocol === 'https:')
    throw new ValidationError('address', 'ipps:// (IPP over TLS) is not supported: give ipp://');
  if (url.protocol !== 'ipp:' && url.protocol !== 'http:')
    throw new ValidationError('address', `must be an ipp:// or http:// URL, not ${url.protocol}`);
  return url.toString();
}

/** Host and port of a ZPL printer's stored address. */
export function tcpAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]/]+))(?::(\d{1,5}))?$/.exec(address);
  if (!match)
    throw new ValidationError(
      'address',
      `'${address}' is not host or host:port, e.g. 10.0.0.5:9100`,
    );
  const port = match[3] === undefined ? RAW_PRINT_PORT : Number(match[3]);
  if (port < 1 || port > 65535)
    throw new ValidationError('address', `port ${port} is out of range`);
  return { host: (match[1] ?? match[2])!, port };
}

/** The HTTP URL an IPP request is posted to: ipp://host/path is http://host:631/path. */
export function ippHttpUrl(address: string): URL {
  const url = new URL(address);
  if (url.protocol === 'ipp:') {
    const http = new URL(`http://${url.host}${url.pathname}${url.search}`);
    if (url.port === '') http.port = '631';
    return http;
  }
  return url;
}
