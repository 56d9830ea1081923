import type { ApiErrorBody, BomProblem, Candidate, Shortage } from './types.js';

/** An answer other than 2xx, or no answer at all (status 0). `message` is meant for people. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly candidates: Candidate[];
  /** A build or stage short of stock: what each BOM entry misses. */
  readonly shortages: Shortage[];
  /** A refused BOM file: every offending line. */
  readonly problems: BomProblem[];

  constructor(status: number, body: ApiErrorBody & { problems?: BomProblem[] | undefined }) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.candidates = body.candidates ?? [];
    this.shortages = body.shortages ?? [];
    this.problems = body.problems ?? [];
  }

  /**
   * The message without the field path the API puts in front (`items.0.quantity: must not be
   * negative` → `must not be negative`); the whole message when it does not start with it.
   */
  get reason(): string {
    const prefix = `${this.field}: `;
    return this.field && this.message.startsWith(prefix)
      ? this.message.slice(prefix.length)
      : this.message;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** Prefix of every API path; default `/api/v1` on the page's own origin. */
  baseUrl?: string;
  /** Called on every 401: the session is gone, the user must log in (again). */
  onUnauthorized?: () => void;
}

export interface Transport {
  readonly baseUrl: string;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** A file answer (a PDF, ZPL text) as bytes, with its headers; errors as in `request`. */
  requestBlob(method: string, path: string, options?: RequestOptions): Promise<BlobAnswer>;
  /** POSTs raw bytes, reporting progress as a fraction 0..1; errors as in `request`. */
  upload<T>(path: string, query: Query, bytes: Blob, onProgress: Progress): Promise<T>;
}

export type Progress = (fraction: number) => void;

export interface BlobAnswer {
  blob: Blob;
  headers: Headers;
}

/** JSON over fetch with the session cookie; errors become ApiError. */
export function createTransport(options: ClientOptions = {}): Transport {
  const baseUrl = options.baseUrl ?? '/api/v1';
  return {
    baseUrl,
    async request<T>(method: string, path: string, req: RequestOptions = {}): Promise<T> {
      const response = await send(method, path, req, 'application/json');
      if (response.status === 204) return undefined as T;
      const payload: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw new ApiError(response.status, errorBody(response, payload));
      return payload as T;
    },
    async requestBlob(method: string, path: string, req: RequestOptions = {}) {
      const response = await send(method, path, req, '*/*');
      if (!response.ok) {
        const payload: unknown = await response.json().catch(() => undefined);
        throw new ApiError(response.status, errorBody(response, payload));
      }
      return { blob: await response.blob(), headers: response.headers };
    },
    upload<T>(path: string, query: Query, bytes: Blob, onProgress: Progress): Promise<T> {
      return new Promise((resolve, reject) => {
        // XMLHttpRequest, not fetch: only it reports upload progress.
        const xhr = new XMLHttpRequest();
        xhr.open('POST', baseUrl + path + queryString(query));
        // The server decides the type from the content: the file's own type is not sent.
        xhr.setRequestHeader('content-type', 'application/octet-stream');
        xhr.setRequestHeader('accept', 'application/json');
        xhr.upload.onprogress = (event) => {
          if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
        };
        xhr.onload = () => {
          let payload: unknown;
          try {
            payload = JSON.parse(xhr.responseText);
          } catch {
            payload = undefined;
          }
          if (xhr.status >= 200 && xhr.status < 300) return resolve(payload as T);
          if (xhr.status === 401) options.onUnauthorized?.();
          reject(new ApiError(xhr.status, errorBody(xhr, payload)));
        };
        xhr.onerror = () =>
          reject(
            new ApiError(0, {
              code: 'network_error',
              message: 'The upload did not reach the server: check the connection and try again.',
            }),
          );
        xhr.send(bytes);
      });
    },
  };

  async function send(
    method: string,
    path: string,
    req: RequestOptions,
    accept: string,
  ): Promise<Response> {
    const hasBody = req.body !== undefined;
    let response: Response;
    try {
      response = await fetch(baseUrl + path + queryString(req.query), {
        method,
        credentials: 'same-origin',
        headers: hasBody ? { 'content-type': 'application/json', accept } : { accept },
        body: hasBody ? JSON.stringify(req.body) : null,
        signal: req.signal ?? null,
      });
    } catch (error) {
      if (req.signal?.aborted) throw error;
      throw new ApiError(0, {
        code: 'network_error',
        message: 'The server cannot be reached: check the connection and try again.',
      });
    }
    if (response.status === 401) options.onUnauthorized?.();
    return response;
  }
}

function errorBody(
  response: { status: number; statusText: string },
  payload: unknown,
): ApiErrorBody {
  const error = (payload as { error?: ApiErrorBody } | undefined)?.error;
  if (error && typeof error.message === 'string') return error;
  return {
    code: 'http_error',
    message: `The server answered ${response.status} ${response.statusText}`.trim(),
  };
}

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
