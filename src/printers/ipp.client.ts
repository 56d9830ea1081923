// A minimal IPP/1.1 client (RFC 8010/8011): Print-Job of one PDF, nothing else. Own code rather
// than the npm `ipp` package, whose last release is from 2024 and which decodes every attribute
// of every group; a Print-Job request is eight attributes and the answer needs three.

/** IPP value tags used here. */
const TAG = {
  operationAttributes: 0x01,
  endOfAttributes: 0x03,
  integer: 0x21,
  enum: 0x23,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  uri: 0x45,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
} as const;

const PRINT_JOB = 0x0002;

/** The status codes' names (RFC 8011 §B), the reason of a failure when the printer gives no message. */
const STATUS_NAMES: Record<number, string> = {
  0x0000: 'successful-ok',
  0x0001: 'successful-ok-ignored-or-substituted-attributes',
  0x0002: 'successful-ok-conflicting-attributes',
  0x0400: 'client-error-bad-request',
  0x0401: 'client-error-forbidden',
  0x0402: 'client-error-not-authenticated',
  0x0403: 'client-error-not-authorized',
  0x0404: 'client-error-not-possible',
  0x0405: 'client-error-timeout',
  0x0406: 'client-error-not-found',
  0x0407: 'client-error-gone',
  0x0408: 'client-error-request-entity-too-large',
  0x0409: 'client-error-request-value-too-long',
  0x040a: 'client-error-document-format-not-supported',
  0x040b: 'client-error-attributes-or-values-not-supported',
  0x040c: 'client-error-uri-scheme-not-supported',
  0x040d: 'client-error-charset-not-supported',
  0x040e: 'client-error-conflicting-attributes',
  0x040f: 'client-error-compression-not-supported',
  0x0410: 'client-error-compression-error',
  0x0411: 'client-error-document-format-error',
  0x0412: 'client-error-document-access-error',
  0x0500: 'server-error-internal-error',
  0x0501: 'server-error-operation-not-supported',
  0x0502: 'server-error-service-unavailable',
  0x0503: 'server-error-version-not-supported',
  0x0504: 'server-error-device-error',
  0x0505: 'server-error-temporary-error',
  0x0506: 'server-error-not-accepting-jobs',
  0x0507: 'server-error-busy',
  0x0508: 'server-error-job-canceled',
  0x0509: 'server-error-multiple-document-jobs-not-supported',
};

export const statusName = (code: number) =>
  STATUS_NAMES[code] ?? `status 0x${code.toString(16).padStart(4, '0')}`;

export interface PrintJobRequest {
  /** The printer-uri attribute: the printer's ipp:// URI as configured. */
  printerUri: string;
  userName: string;
  jobName: string;
  document: Uint8Array;
  /** Request id; any positive number. */
  requestId?: number;
}

export interface IppResponse {
  statusCode: number;
  requestId: number;
  /** status-message, job-id, job-state … of every group, first value of each. */
  attributes: Map<string, string | number>;
}

/** The bytes of a Print-Job request for a PDF. */
export function encodePrintJob(request: PrintJobRequest): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x0101, 0); // version 1.1
  header.writeUInt16BE(PRINT_JOB, 2);
  header.writeUInt32BE(request.requestId ?? 1, 4);
  parts.push(header, Buffer.from([TAG.operationAttributes]));
  const attribute = (tag: number, name: string, value: string) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(3);
    head.writeUInt8(tag, 0);
    head.writeUInt16BE(n.length, 1);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(v.length, 0);
    parts.push(head, n, length, v);
  };
  // The order RFC 8011 §4.1.4 requires: charset, natural language, then the target.
  attribute(TAG.charset, 'attributes-charset', 'utf-8');
  attribute(TAG.naturalLanguage, 'attributes-natural-language', 'en');
  attribute(TAG.uri, 'printer-uri', request.printerUri);
  attribute(TAG.nameWithoutLanguage, 'requesting-user-name', clip(request.userName, 255));
  attribute(TAG.nameWithoutLanguage, 'job-name', clip(request.jobName, 255));
  attribute(TAG.mimeMediaType, 'document-format', 'application/pdf');
  parts.push(Buffer.from([TAG.endOfAttributes]), Buffer.from(request.document));
  return Buffer.concat(parts);
}

const clip = (text: string, bytes: number) =>
  Buffer.from(text, 'utf8')
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');

/** Reads an IPP response: its status, and the first value of each named attribute. */
export function decodeIppResponse(bytes: Uint8Array): IppResponse {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 9) throw new Error(`IPP response of ${buf.length} bytes is too short`);
  const statusCode = buf.readUInt16BE(2);
  const requestId = buf.readUInt32BE(4);
  const attributes = new Map<string, string | number>();
  let at = 8;
  let name = '';
  while (at < buf.length) {
    const tag = buf[at]!;
    at += 1;
    if (tag === TAG.endOfAttributes) break;
    if (tag < 0x10) continue; // a group's delimiter
    if (at + 2 > buf.length) throw new Error('IPP response ends inside an attribute');
    const nameLength = buf.readUInt16BE(at);
    at += 2;
    if (nameLength > 0) name = buf.toString('utf8', at, at + nameLength);
    at += nameLength;
    const valueLength = buf.readUInt16BE(at);
    at += 2;
    if (at + valueLength > buf.length) throw new Error('IPP response ends inside a value');
    // nameLength 0: another value of the attribute before; only the first is kept.
    if (nameLength > 0 && !attributes.has(name)) {
      const value =
        (tag === TAG.integer || tag === TAG.enum) && valueLength === 4
          ? buf.readInt32BE(at)
          : buf.toString('utf8', at, at + valueLength);
      attributes.set(name, value);
    }
    at += valueLength;
  }
  return { statusCode, requestId, attributes };
}

export interface IppJobResult {
  jobId: number | undefined;
  jobState: number | undefined;
}

/**
 * Sends a PDF to an IPP printer by Print-Job. Rejects with the printer's status message (or its
 * status code's name) when it refuses the job, or with the connection's error.
 */
export async function ippPrintJob(
  url: URL,
  request: PrintJobRequest,
  timeoutMs: number,
): Promise<IppJobResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/ipp' },
    body: new Uint8Array(encodePrintJob(request)),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new Error(connectionReason(error));
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const answer = decodeIppResponse(new Uint8Array(await response.arrayBuffer()));
  if (answer.statusCode >= 0x0100) {
    const message = answer.attributes.get('status-message');
    const name = statusName(answer.statusCode);
    throw new Error(typeof message === 'string' && message ? `${message} (${name})` : name);
  }
  const jobId = answer.attributes.get('job-id');
  const jobState = answer.attributes.get('job-state');
  return {
    jobId: typeof jobId === 'number' ? jobId : undefined,
    jobState: typeof jobState === 'number' ? jobState : undefined,
  };
}

/** fetch's "fetch failed" hides the socket's error in its cause: that is the reason to show. */
function connectionReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return error.message;
  const cause = error instanceof Error ? (error.cause as Error | undefined) : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
