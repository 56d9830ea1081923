import type { Query, Transport } from './client.js';
import type {
  AdjustRequest,
  Bom,
  BomImportRequest,
  BomImportResult,
  Build,
  BuildCreate,
  BuildPage,
  BuildPlan,
  BuildPlanRequest,
  BuildQuery,
  BuildUnit,
  CompleteStage,
  CompletionResult,
  Consumed,
  FinishRequest,
  HoldRequest,
  HoldResult,
  InstallRequest,
  Installation,
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
  Project,
  ProjectCreate,
  ProjectPage,
  ProjectQuery,
  Recall,
  ReceiveItem,
  ReceiveResult,
  RemoveRequest,
  Resolved,
  StatusRequest,
  StockPage,
  StockQuery,
  TraceTree,
  UninstallRequest,
  UnitPage,
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
    projects: {
      list: (query: ProjectQuery, signal?: Signal) => get<ProjectPage>('/projects', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Project>(at('/projects', code), undefined, signal),
      create: (body: ProjectCreate) => send<Project>('POST', '/projects', body),
      bom: (code: string, signal?: Signal) =>
        get<Bom>(`${at('/projects', code)}/bom`, undefined, signal),
      importBom: (code: string, body: BomImportRequest) =>
        send<BomImportResult>('POST', `${at('/projects', code)}/bom/import`, body),
    },
    builds: {
      plan: (body: BuildPlanRequest) => send<BuildPlan>('POST', '/builds/plan', body),
      create: (body: BuildCreate) => send<Build>('POST', '/builds', body),
      list: (query: BuildQuery, signal?: Signal) => get<BuildPage>('/builds', query, signal),
      get: (code: string, signal?: Signal) => get<Build>(at('/builds', code), undefined, signal),
      units: (code: string, query: { limit: number; offset: number }, signal?: Signal) =>
        get<UnitPage>(`${at('/builds', code)}/units`, query, signal),
      consumption: (code: string, signal?: Signal) =>
        get<{ items: Consumed[] }>(`${at('/builds', code)}/consumption`, undefined, signal),
      completeStage: (code: string, stage: number, body: CompleteStage) =>
        send<CompletionResult>('POST', `${at('/builds', code)}/stages/${stage}/complete`, body),
      scrap: (code: string, unit: string, reason: string) =>
        send<BuildUnit>('POST', `${at(`${at('/builds', code)}/units`, unit)}/scrap`, { reason }),
      finish: (code: string, body: FinishRequest) =>
        send<Build>('POST', `${at('/builds', code)}/finish`, body),
      cancel: (code: string, reason: string) =>
        send<Build>('POST', `${at('/builds', code)}/cancel`, { reason }),
    },
    installations: {
      install: (body: InstallRequest) => send<Installation>('POST', '/installations', body),
      remove: (body: UninstallRequest) => send<Installation>('POST', '/installations/remove', body),
    },
    /** Backward trace: everything in a unit or lot, down to supplier lots. */
    trace: (code: string, signal?: Signal) => get<TraceTree>(at('/trace', code), undefined, signal),
    recall: {
      get: (code: string, signal?: Signal) => get<Recall>(at('/recall', code), undefined, signal),
      /** Address of the CSV download (a link sends the session cookie). */
      csvUrl: (code: string) => `${http.baseUrl}${at('/recall', code)}/csv`,
      hold: (code: string, body: HoldRequest) =>
        send<HoldResult>('POST', `${at('/recall', code)}/hold`, body),
    },
    resolve: (q: string, signal?: Signal) => get<Resolved>('/resolve', { q }, signal),
    /** URL of the QR code image of an object's page (an <img> loads it with the session cookie). */
    qrUrl: (code: string) => `${http.baseUrl}${at('/codes', code)}/qr.svg`,
  };
}

export type Api = ReturnType<typeof createApi>;
