import type { Query, Transport } from './client.js';
import type {
  AdjustRequest,
  Location,
  LocationCreate,
  LocationPage,
  LocationQuery,
  Login,
  Lot,
  LotFields,
  LotHistoryItem,
  LotPage,
  LotQuery,
  Me,
  MoveRequest,
  OperationResult,
  Part,
  PartCreate,
  PartPage,
  PartQuery,
  PartUpdate,
  ReceiveItem,
  ReceiveResult,
  RemoveRequest,
  Resolved,
  StatusRequest,
  StockPage,
  StockQuery,
  UserCreate,
  UserCreated,
} from './types.js';

type Signal = AbortSignal | undefined;

const at = (path: string, code: string) => `${path}/${encodeURIComponent(code)}`;

/** Every call the web UI makes, one typed function each. */
export function createApi(http: Transport) {
  // The query types are the server's zod *input* types, where coerced numbers are `unknown`.
  const get = <T>(path: string, query?: object, signal?: Signal) =>
    http.request<T>('GET', path, { query: query as Query, signal });
  const send = <T>(method: string, path: string, body?: unknown) =>
    http.request<T>(method, path, { body });

  return {
    auth: {
      login: (body: Login) => send<Me>('POST', '/auth/login', body),
      logout: () => send<void>('POST', '/auth/logout'),
      me: (signal?: Signal) => get<Me>('/auth/me', undefined, signal),
    },
    users: {
      create: (body: UserCreate) => send<UserCreated>('POST', '/users', body),
    },
    parts: {
      list: (query: PartQuery, signal?: Signal) => get<PartPage>('/parts', query, signal),
      get: (code: string, signal?: Signal) => get<Part>(at('/parts', code), undefined, signal),
      create: (body: PartCreate) => send<Part>('POST', '/parts', body),
      update: (code: string, body: PartUpdate) => send<Part>('PATCH', at('/parts', code), body),
    },
    locations: {
      list: (query: LocationQuery, signal?: Signal) =>
        get<LocationPage>('/locations', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Location>(at('/locations', code), undefined, signal),
      create: (body: LocationCreate) => send<Location>('POST', '/locations', body),
    },
    lots: {
      list: (query: LotQuery, signal?: Signal) => get<LotPage>('/lots', query, signal),
      get: (code: string, signal?: Signal) => get<Lot>(at('/lots', code), undefined, signal),
      update: (code: string, body: LotFields) => send<Lot>('PATCH', at('/lots', code), body),
      history: (code: string, signal?: Signal) =>
        get<{ items: LotHistoryItem[] }>(`${at('/lots', code)}/history`, undefined, signal),
    },
    stock: {
      list: (query: StockQuery, signal?: Signal) => get<StockPage>('/stock', query, signal),
      receive: (items: ReceiveItem[]) => send<ReceiveResult>('POST', '/stock/receive', { items }),
      move: (body: MoveRequest) => send<OperationResult>('POST', '/stock/move', body),
      remove: (body: RemoveRequest) => send<OperationResult>('POST', '/stock/remove', body),
      adjust: (body: AdjustRequest) => send<OperationResult>('POST', '/stock/adjust', body),
      status: (body: StatusRequest) => send<OperationResult>('POST', '/stock/status', body),
    },
    resolve: (q: string, signal?: Signal) => get<Resolved>('/resolve', { q }, signal),
    /** URL of the QR code image of an object's page (an <img> loads it with the session cookie). */
    qrUrl: (code: string) => `${http.baseUrl}${at('/codes', code)}/qr.svg`,
  };
}

export type Api = ReturnType<typeof createApi>;
