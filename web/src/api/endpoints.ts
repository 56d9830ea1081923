import type { Progress, Query, Transport } from './client.js';
import type {
  AdjustRequest,
  Attachment,
  Bom,
  BomEntry,
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
  TimelineEvent,
  FinishRequest,
  SignatureSettings,
  SignatureSettingsUpdate,
  HoldRequest,
  HoldResult,
  InstallRequest,
  Installation,
  LabelMedia,
  LabelTemplate,
  LabelTemplateCreate,
  LabelTemplateUpdate,
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
  PrintRequest,
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
  ScanResult,
  AssignResult,
  AssignSerials,
  SerialFormat,
  SerialFormatCreate,
  SerialFormatPage,
  SerialFormatQuery,
  SerialFormatUpdate,
  SerialPreview,
  UnitSerial,
  StatusRequest,
  StockPage,
  StockQuery,
  BuildTestSummary,
  TestResult,
  TestResultInput,
  TestTemplate,
  TestTemplateCreate,
  TestTemplateUpdate,
  TraceTree,
  UnitTests,
  UninstallRequest,
  UnitPage,
  User,
  UserCreate,
  UserCreated,
  ReleaseRequest,
  ReturnRequest,
  ServiceEvent,
  ServiceEventCreate,
  ServiceEventPage,
  Shipment,
  ShipmentCreate,
  ShipmentPage,
  ShipmentQuery,
  UnitStatus,
  UnitStatusList,
} from './types.js';

type Signal = AbortSignal | undefined;

const at = (path: string, code: string) => `${path}/${encodeURIComponent(code)}`;

/** Every call the web UI makes, one typed function each. */
export function createApi(http: Transport) {
  // The query types are the server's zod *input* types, where coerced numbers are `unknown`.
  const get = <T>(path: string, query?: object, signal?: Signal) =>
    http.request<T>('GET', path, { query: query as Query, signal });
  const send = <T>(method: string, path: string, body?: unknown, signal?: Signal) =>
    http.request<T>(method, path, { body, signal });

  return {
    auth: {
      login: (body: Login) => send<Me>('POST', '/auth/login', body),
      logout: () => send<void>('POST', '/auth/logout'),
      me: (signal?: Signal) => get<Me>('/auth/me', undefined, signal),
    },
    users: {
      list: (signal?: Signal) => get<{ items: User[] }>('/users', undefined, signal),
      create: (body: UserCreate) => send<UserCreated>('POST', '/users', body),
      unlock: (code: string) => send<User>('POST', `${at('/users', code)}/unlock`),
    },
    settings: {
      signatures: (signal?: Signal) =>
        get<SignatureSettings>('/settings/signatures', undefined, signal),
      setSignatures: (body: SignatureSettingsUpdate) =>
        send<SignatureSettings>('PUT', '/settings/signatures', body),
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
      bom: (code: string, signal?: Signal) =>
        get<{ entries: BomEntry[] }>(`${at('/builds', code)}/bom`, undefined, signal),
      consumption: (code: string, signal?: Signal) =>
        get<{ items: Consumed[] }>(`${at('/builds', code)}/consumption`, undefined, signal),
      timeline: (code: string, signal?: Signal) =>
        get<{ items: TimelineEvent[] }>(`${at('/builds', code)}/timeline`, undefined, signal),
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
    attachments: {
      list: (subject: string, signal?: Signal) =>
        get<{ items: Attachment[] }>('/attachments', { subject }, signal),
      get: (code: string, signal?: Signal) =>
        get<Attachment>(at('/attachments', code), undefined, signal),
      remove: (code: string, reason: string) =>
        send<Attachment>('POST', `${at('/attachments', code)}/remove`, { reason }),
      /** Adds a file to `subject`, reporting the upload's progress (0..1). */
      upload: (subject: string, file: File, onProgress: Progress) =>
        http.upload<Attachment>(
          '/attachments',
          { subject, name: file.name || 'file' },
          file,
          onProgress,
        ),
    },
    tests: {
      /** A part's test templates, disabled ones too. */
      templates: (part: string, signal?: Signal) =>
        get<{ items: TestTemplate[] }>(
          `${at('/parts', part)}/test-templates`,
          { disabled: 'true' },
          signal,
        ),
      template: (code: string, signal?: Signal) =>
        get<TestTemplate>(at('/test-templates', code), undefined, signal),
      createTemplate: (part: string, body: TestTemplateCreate) =>
        send<TestTemplate>('POST', `${at('/parts', part)}/test-templates`, body),
      updateTemplate: (code: string, body: TestTemplateUpdate) =>
        send<TestTemplate>('PATCH', at('/test-templates', code), body),
      unit: (code: string, query: { limit: number; offset: number }, signal?: Signal) =>
        get<UnitTests>(`${at('/units', code)}/tests`, query, signal),
      record: (unit: string, body: TestResultInput) =>
        send<TestResult>('POST', `${at('/units', unit)}/tests`, body),
      buildSummary: (code: string, signal?: Signal) =>
        get<BuildTestSummary>(`${at('/builds', code)}/tests`, undefined, signal),
      requirePassed: (project: string, requireTestsPassed: boolean) =>
        send<Project>('PATCH', at('/projects', project), { requireTestsPassed }),
    },
    shipments: {
      list: (query: ShipmentQuery, signal?: Signal) =>
        get<ShipmentPage>('/shipments', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Shipment>(at('/shipments', code), undefined, signal),
      create: (body: ShipmentCreate) => send<Shipment>('POST', '/shipments', body),
    },
    units: {
      status: (code: string, signal?: Signal) =>
        get<UnitStatus>(at('/units', code), undefined, signal),
      /** Many units in one request: found ones in order, and the codes that name no unit. */
      statuses: (codes: string[], signal?: Signal) =>
        send<UnitStatusList>('POST', '/units/status', { codes }, signal),
      return: (code: string, body: ReturnRequest) =>
        send<UnitStatus>('POST', `${at('/units', code)}/return`, body),
      repair: (code: string, note: string) =>
        send<UnitStatus>('POST', `${at('/units', code)}/repair`, { note }),
      release: (code: string, body: ReleaseRequest) =>
        send<UnitStatus>('POST', `${at('/units', code)}/release`, body),
      scrap: (code: string, reason: string) =>
        send<UnitStatus>('POST', `${at('/units', code)}/scrap`, { reason }),
      events: (code: string, query: { limit: number; offset: number }, signal?: Signal) =>
        get<ServiceEventPage>(`${at('/units', code)}/events`, query, signal),
      addEvent: (code: string, body: ServiceEventCreate) =>
        send<ServiceEvent>('POST', `${at('/units', code)}/events`, body),
      event: (code: string, signal?: Signal) =>
        get<ServiceEvent>(at('/service-events', code), undefined, signal),
    },
    resolve: (q: string, signal?: Signal) => get<Resolved>('/resolve', { q }, signal),
    /** Reads any scanned text: a code, a GS1 string, a distributor label; see ScanResult. */
    scan: (q: string, signal?: Signal) => get<ScanResult>('/scan', { q }, signal),
    /** URL of the QR code image of an object's page (an <img> loads it with the session cookie). */
    qrUrl: (code: string) => `${http.baseUrl}${at('/codes', code)}/qr.svg`,
    labels: {
      media: (signal?: Signal) => get<{ items: LabelMedia[] }>('/label-media', undefined, signal),
      templates: (archived: 'true' | 'false' | 'any', signal?: Signal) =>
        get<{ items: LabelTemplate[] }>('/label-templates', { archived }, signal),
      createTemplate: (body: LabelTemplateCreate) =>
        send<LabelTemplate>('POST', '/label-templates', body),
      /** Change a template, archive (`{ archived: true }`) or restore it. */
      updateTemplate: (code: string, body: LabelTemplateUpdate) =>
        send<LabelTemplate>('PATCH', at('/label-templates', code), body),
      /** The labels as a file (PDF, or ZPL text) and how many labels it holds. */
      print: async (body: PrintRequest, signal?: Signal) => {
        const { blob, headers } = await http.requestBlob('POST', '/labels', { body, signal });
        return { blob, count: Number(headers.get('x-label-count') ?? 0) };
      },
    },
    serialFormats: {
      list: (query: SerialFormatQuery, signal?: Signal) =>
        get<SerialFormatPage>('/serial-formats', query, signal),
      create: (body: SerialFormatCreate) => send<SerialFormat>('POST', '/serial-formats', body),
      /** Rename, change the target, archive (`{ archived: true }`) or restore a format. */
      update: (code: string, body: SerialFormatUpdate) =>
        send<SerialFormat>('PATCH', at('/serial-formats', code), body),
      preview: (body: { pattern: string; count?: number }) =>
        send<SerialPreview>('POST', '/serial-formats/preview', body),
      assign: (code: string, body: AssignSerials) =>
        send<AssignResult>('POST', `${at('/serial-formats', code)}/assign`, body),
      ofLot: (code: string, signal?: Signal) =>
        get<{ items: UnitSerial[] }>(`${at('/lots', code)}/serials`, undefined, signal),
    },
  };
}

export type Api = ReturnType<typeof createApi>;
