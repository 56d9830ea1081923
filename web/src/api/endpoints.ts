import type { Progress, Query, Transport } from './client.js';
import type * as Types from './types.js';

type Signal = AbortSignal | undefined;
type PickListQuery = { stage?: number; lots?: string };

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
      login: (body: Types.Login) => send<Types.Me>('POST', '/auth/login', body),
      logout: () => send<void>('POST', '/auth/logout'),
      me: (signal?: Signal) => get<Types.Me>('/auth/me', undefined, signal),
      sso: (signal?: Signal) => get<Types.SsoInfo>('/auth/oidc', undefined, signal),
    },
    demo: { load: () => send<Types.DemoSummary>('POST', '/demo') },
    audit: {
      changes: (query: Types.AuditQuery, signal?: Signal) =>
        get<Types.ChangePage>('/audit/changes', query, signal),
      change: (id: string, signal?: Signal) =>
        get<Types.ChangeDetail>(at('/audit/changes', id), undefined, signal),
      verify: () => get<Types.VerifyReport>('/audit/verify'),
    },
    users: {
      list: (signal?: Signal) => get<{ items: Types.User[] }>('/users', undefined, signal),
      create: (body: Types.UserCreate) => send<Types.UserCreated>('POST', '/users', body),
      update: (code: string, body: Types.UserUpdate) =>
        send<Types.User>('PATCH', at('/users', code), body),
      unlock: (code: string) => send<Types.User>('POST', `${at('/users', code)}/unlock`),
      resetPassword: (code: string) =>
        send<Types.PasswordReset>('POST', `${at('/users', code)}/reset-password`),
    },
    apiKeys: {
      list: (signal?: Signal) => get<{ items: Types.ApiKey[] }>('/api-keys', undefined, signal),
      create: (body: Types.ApiKeyCreate) => send<Types.ApiKeyCreated>('POST', '/api-keys', body),
      revoke: (code: string) => send<Types.ApiKey>('DELETE', at('/api-keys', code)),
    },
    webhooks: {
      list: (signal?: Signal) => get<Types.WebhookList>('/webhooks', undefined, signal),
      create: (body: Types.WebhookCreate) => send<Types.WebhookCreated>('POST', '/webhooks', body),
      resume: (code: string) => send<Types.Webhook>('POST', `${at('/webhooks', code)}/resume`),
      pause: (code: string) => send<Types.Webhook>('POST', `${at('/webhooks', code)}/pause`),
      remove: (code: string) => send<Types.Webhook>('DELETE', at('/webhooks', code)),
      ping: (code: string) => send<Types.Delivery>('POST', `${at('/webhooks', code)}/ping`),
      deliveries: (code: string, signal?: Signal) =>
        get<Types.DeliveryPage>(`${at('/webhooks', code)}/deliveries`, { limit: 100 }, signal),
      replay: (id: number) => send<Types.Delivery>('POST', `/webhooks/deliveries/${id}/replay`),
    },
    sites: {
      list: (signal?: Signal) => get<Types.SiteList>('/sites', undefined, signal),
      rename: (body: Types.SiteUpdate) => send<Types.Site>('PATCH', '/site', body),
      peers: (signal?: Signal) => get<{ items: Types.Peer[] }>('/sync/peers', undefined, signal),
      addPeer: (body: Types.PeerAdd) => send<Types.Peer>('POST', '/sync/peers', body),
      syncNow: () => send<{ items: Types.PeerSync[] }>('POST', '/sync/run', {}),
      conflicts: (all: boolean, signal?: Signal) =>
        get<Types.ConflictPage>('/sync/conflicts', { all, limit: 100 }, signal),
      resolve: (code: string, body: Types.ResolveConflict) =>
        send<Types.Conflict>('POST', `${at('/sync/conflicts', code)}/resolve`, body),
    },
    printers: {
      list: (signal?: Signal) => get<{ items: Types.Printer[] }>('/printers', undefined, signal),
      create: (body: Types.PrinterCreate) => send<Types.Printer>('POST', '/printers', body),
      /** Rename, readdress, or (de)activate (`{ active: false }`). */
      update: (code: string, body: Types.PrinterUpdate) =>
        send<Types.Printer>('PATCH', at('/printers', code), body),
    },
    printJobs: {
      /** Queues labels for a printer; the server sends them and the job's status says how it went. */
      create: (body: Types.PrintJobCreate) => send<Types.PrintJob>('POST', '/print-jobs', body),
      get: (code: string, signal?: Signal) =>
        get<Types.PrintJob>(at('/print-jobs', code), undefined, signal),
      retry: (code: string) => send<Types.PrintJob>('POST', `${at('/print-jobs', code)}/retry`),
    },
    settings: {
      signatures: (signal?: Signal) =>
        get<Types.SignatureSettings>('/settings/signatures', undefined, signal),
      setSignatures: (body: Types.SignatureSettingsUpdate) =>
        send<Types.SignatureSettings>('PUT', '/settings/signatures', body),
    },
    parts: {
      list: (query: Types.PartQuery, signal?: Signal) =>
        get<Types.PartPage>('/parts', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Types.Part>(at('/parts', code), undefined, signal),
      create: (body: Types.PartCreate) => send<Types.Part>('POST', '/parts', body),
      /** The part each supplier part number or MPN names (reads only). */
      lookup: (body: Types.PartLookupRequest) =>
        send<Types.PartLookupResult>('POST', '/parts/lookup', body),
      update: (code: string, body: Types.PartUpdate) =>
        send<Types.Part>('PATCH', at('/parts', code), body),
    },
    locations: {
      list: (query: Types.LocationQuery, signal?: Signal) =>
        get<Types.LocationPage>('/locations', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Types.Location>(at('/locations', code), undefined, signal),
      create: (body: Types.LocationCreate) => send<Types.Location>('POST', '/locations', body),
    },
    lots: {
      list: (query: Types.LotQuery, signal?: Signal) => get<Types.LotPage>('/lots', query, signal),
      get: (code: string, signal?: Signal) => get<Types.Lot>(at('/lots', code), undefined, signal),
      update: (code: string, body: Types.LotFields) =>
        send<Types.Lot>('PATCH', at('/lots', code), body),
      history: (code: string, signal?: Signal) =>
        get<{ items: Types.LotHistoryItem[] }>(`${at('/lots', code)}/history`, undefined, signal),
    },
    stock: {
      list: (query: Types.StockQuery, signal?: Signal) =>
        get<Types.StockPage>('/stock', query, signal),
      receive: (items: Types.ReceiveItem[]) =>
        send<Types.ReceiveResult>('POST', '/stock/receive', { items }),
      /** Many rows at once, finding or creating their parts; all or nothing. */
      receiveBatch: (body: Types.BatchReceiveRequest) =>
        send<Types.BatchReceiveResult>('POST', '/stock/receive-batch', body),
      move: (body: Types.MoveRequest) => send<Types.OperationResult>('POST', '/stock/move', body),
      remove: (body: Types.RemoveRequest) =>
        send<Types.OperationResult>('POST', '/stock/remove', body),
      adjust: (body: Types.AdjustRequest) =>
        send<Types.OperationResult>('POST', '/stock/adjust', body),
      status: (body: Types.StatusRequest) =>
        send<Types.OperationResult>('POST', '/stock/status', body),
    },
    projects: {
      list: (query: Types.ProjectQuery, signal?: Signal) =>
        get<Types.ProjectPage>('/projects', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Types.Project>(at('/projects', code), undefined, signal),
      create: (body: Types.ProjectCreate) => send<Types.Project>('POST', '/projects', body),
      bom: (code: string, signal?: Signal) =>
        get<Types.Bom>(`${at('/projects', code)}/bom`, undefined, signal),
      importBom: (code: string, body: Types.BomImportRequest) =>
        send<Types.BomImportResult>('POST', `${at('/projects', code)}/bom/import`, body),
      addEntry: (code: string, body: Types.BomEntryCreate) =>
        send<Types.Bom>('POST', `${at('/projects', code)}/bom/entries`, body),
      changeEntry: (code: string, position: number, body: Types.BomEntryUpdate) =>
        send<Types.Bom>('PATCH', `${at('/projects', code)}/bom/entries/${position}`, body),
      removeEntry: (code: string, position: number) =>
        send<Types.Bom>('DELETE', `${at('/projects', code)}/bom/entries/${position}`),
      assignStage: (code: string, body: Types.BomStageAssign) =>
        send<Types.Bom>('POST', `${at('/projects', code)}/bom/stage`, body),
      approveBom: (code: string, body: Types.BomApprovalRequest) =>
        send<Types.Bom>('POST', `${at('/projects', code)}/bom/approve`, body),
      addStage: (code: string, body: Types.StageCreate) =>
        send<Types.Bom>('POST', `${at('/projects', code)}/stages`, body),
      changeStage: (code: string, stage: number, body: Types.StageUpdate) =>
        send<Types.Bom>('PATCH', `${at('/projects', code)}/stages/${stage}`, body),
    },
    builds: {
      /** Address of the build's Device History Record PDF (a link sends the session cookie). */
      dhrPdfUrl: (code: string) => `${http.baseUrl}${at('/builds', code)}/dhr.pdf`,
      plan: (body: Types.BuildPlanRequest) => send<Types.BuildPlan>('POST', '/builds/plan', body),
      create: (body: Types.BuildCreate) => send<Types.Build>('POST', '/builds', body),
      list: (query: Types.BuildQuery, signal?: Signal) =>
        get<Types.BuildPage>('/builds', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Types.Build>(at('/builds', code), undefined, signal),
      units: (code: string, query: { limit: number; offset: number }, signal?: Signal) =>
        get<Types.UnitPage>(`${at('/builds', code)}/units`, query, signal),
      bom: (code: string, signal?: Signal) =>
        get<{ entries: Types.BomEntry[] }>(`${at('/builds', code)}/bom`, undefined, signal),
      consumption: (code: string, signal?: Signal) =>
        get<{ items: Types.Consumed[] }>(`${at('/builds', code)}/consumption`, undefined, signal),
      timeline: (code: string, signal?: Signal) =>
        get<{ items: Types.TimelineEvent[] }>(`${at('/builds', code)}/timeline`, undefined, signal),
      /** The lots to take for a stage (or every stage), by location; `lots`: chosen by hand. */
      pickList: (code: string, query: PickListQuery, signal?: Signal) =>
        get<Types.PickList>(`${at('/builds', code)}/pick-list`, query, signal),
      /** Address of the pick list as a CSV or PDF download (a link sends the session cookie). */
      pickListUrl: (code: string, format: 'csv' | 'pdf', query: PickListQuery) => {
        const params = new URLSearchParams({ format });
        if (query.stage !== undefined) params.set('stage', String(query.stage));
        if (query.lots) params.set('lots', query.lots);
        return `${http.baseUrl}${at('/builds', code)}/pick-list?${params}`;
      },
      completeStage: (code: string, stage: number, body: Types.CompleteStage) =>
        send<Types.CompletionResult>(
          'POST',
          `${at('/builds', code)}/stages/${stage}/complete`,
          body,
        ),
      scrap: (code: string, unit: string, reason: string) =>
        send<Types.BuildUnit>('POST', `${at(`${at('/builds', code)}/units`, unit)}/scrap`, {
          reason,
        }),
      reverse: (code: string, completion: number, reason: string) =>
        send<Types.CompletionReversal>(
          'POST',
          `${at('/builds', code)}/completions/${completion}/reverse`,
          { reason },
        ),
      changeBom: (code: string, position: number, body: Types.BuildEntryChange) =>
        send<{ entries: Types.BomEntry[] }>(
          'PATCH',
          `${at('/builds', code)}/bom/${position}`,
          body,
        ),
      finish: (code: string, body: Types.FinishRequest) =>
        send<Types.Build>('POST', `${at('/builds', code)}/finish`, body),
      cancel: (code: string, reason: string) =>
        send<Types.Build>('POST', `${at('/builds', code)}/cancel`, { reason }),
    },
    installations: {
      install: (body: Types.InstallRequest) =>
        send<Types.Installation>('POST', '/installations', body),
      remove: (body: Types.UninstallRequest) =>
        send<Types.Installation>('POST', '/installations/remove', body),
    },
    /** Backward trace: everything in a unit or lot, down to supplier lots. */
    trace: (code: string, signal?: Signal) =>
      get<Types.TraceTree>(at('/trace', code), undefined, signal),
    recall: {
      get: (code: string, signal?: Signal) =>
        get<Types.Recall>(at('/recall', code), undefined, signal),
      /** Address of the CSV download (a link sends the session cookie). */
      csvUrl: (code: string) => `${http.baseUrl}${at('/recall', code)}/csv`,
      hold: (code: string, body: Types.HoldRequest) =>
        send<Types.HoldResult>('POST', `${at('/recall', code)}/hold`, body),
      holds: (code: string, signal?: Signal) =>
        get<Types.RecallHolds>(`${at('/lots', code)}/recall/holds`, undefined, signal),
      release: (code: string, body: Types.RecallReleaseRequest) =>
        send<Types.RecallReleaseResult>('POST', `${at('/lots', code)}/recall/release`, body),
    },
    attachments: {
      list: (subject: string, signal?: Signal) =>
        get<{ items: Types.Attachment[] }>('/attachments', { subject }, signal),
      get: (code: string, signal?: Signal) =>
        get<Types.Attachment>(at('/attachments', code), undefined, signal),
      remove: (code: string, reason: string) =>
        send<Types.Attachment>('POST', `${at('/attachments', code)}/remove`, { reason }),
      /** Adds a file to `subject`, reporting the upload's progress (0..1). */
      upload: (subject: string, file: File, onProgress: Progress) =>
        http.upload<Types.Attachment>(
          '/attachments',
          { subject, name: file.name || 'file' },
          file,
          onProgress,
        ),
    },
    tests: {
      /** A part's test templates, disabled ones too. */
      templates: (part: string, signal?: Signal) =>
        get<{ items: Types.TestTemplateListItem[] }>(
          `${at('/parts', part)}/test-templates`,
          { disabled: 'true' },
          signal,
        ),
      template: (code: string, signal?: Signal) =>
        get<Types.TestTemplate>(at('/test-templates', code), undefined, signal),
      createTemplate: (part: string, body: Types.TestTemplateCreate) =>
        send<Types.TestTemplate>('POST', `${at('/parts', part)}/test-templates`, body),
      updateTemplate: (code: string, body: Types.TestTemplateUpdate) =>
        send<Types.TestTemplate>('PATCH', at('/test-templates', code), body),
      unit: (code: string, query: { limit: number; offset: number }, signal?: Signal) =>
        get<Types.UnitTests>(`${at('/units', code)}/tests`, query, signal),
      record: (unit: string, body: Types.TestResultInput) =>
        send<Types.TestResult>('POST', `${at('/units', unit)}/tests`, body),
      /** Voids a result recorded by mistake: it stays, marked, and counts no more. */
      void: (id: number, reason: string) =>
        send<Types.TestResult>('POST', `/test-results/${id}/void`, { reason }),
      buildSummary: (code: string, signal?: Signal) =>
        get<Types.BuildTestSummary>(`${at('/builds', code)}/tests`, undefined, signal),
      requirePassed: (project: string, requireTestsPassed: boolean) =>
        send<Types.Project>('PATCH', at('/projects', project), { requireTestsPassed }),
    },
    shipments: {
      list: (query: Types.ShipmentQuery, signal?: Signal) =>
        get<Types.ShipmentPage>('/shipments', query, signal),
      get: (code: string, signal?: Signal) =>
        get<Types.Shipment>(at('/shipments', code), undefined, signal),
      create: (body: Types.ShipmentCreate) => send<Types.Shipment>('POST', '/shipments', body),
      /** Reverses a shipment entered by mistake (not a customer return). */
      reverse: (code: string, reason: string) =>
        send<Types.Shipment>('POST', `${at('/shipments', code)}/reverse`, { reason }),
    },
    units: {
      /** Address of the unit's Device History Record PDF (a link sends the session cookie). */
      dhrPdfUrl: (code: string) => `${http.baseUrl}${at('/units', code)}/dhr.pdf`,
      status: (code: string, signal?: Signal) =>
        get<Types.UnitStatus>(at('/units', code), undefined, signal),
      /** Many units in one request: found ones in order, and the codes that name no unit. */
      statuses: (codes: string[], signal?: Signal) =>
        send<Types.UnitStatusList>('POST', '/units/status', { codes }, signal),
      return: (code: string, body: Types.ReturnRequest) =>
        send<Types.UnitStatus>('POST', `${at('/units', code)}/return`, body),
      repair: (code: string, note: string) =>
        send<Types.UnitStatus>('POST', `${at('/units', code)}/repair`, { note }),
      release: (code: string, body: Types.ReleaseRequest) =>
        send<Types.UnitStatus>('POST', `${at('/units', code)}/release`, body),
      scrap: (code: string, reason: string) =>
        send<Types.UnitStatus>('POST', `${at('/units', code)}/scrap`, { reason }),
      events: (code: string, query: { limit: number; offset: number }, signal?: Signal) =>
        get<Types.ServiceEventPage>(`${at('/units', code)}/events`, query, signal),
      addEvent: (code: string, body: Types.ServiceEventCreate) =>
        send<Types.ServiceEvent>('POST', `${at('/units', code)}/events`, body),
      event: (code: string, signal?: Signal) =>
        get<Types.ServiceEvent>(at('/service-events', code), undefined, signal),
    },
    resolve: (q: string, signal?: Signal) => get<Types.Resolved>('/resolve', { q }, signal),
    /** Reads any scanned text: a code, a GS1 string, a distributor label; see Types.ScanResult. */
    scan: (q: string, signal?: Signal) => get<Types.ScanResult>('/scan', { q }, signal),
    /** URL of the QR code image of an object's page (an <img> loads it with the session cookie). */
    qrUrl: (code: string) => `${http.baseUrl}${at('/codes', code)}/qr.svg`,
    /** URL of the live updates' event stream (an EventSource opens it with the session cookie). */
    eventsUrl: `${http.baseUrl}/events`,
    labels: {
      media: (signal?: Signal) =>
        get<{ items: Types.LabelMedia[] }>('/label-media', undefined, signal),
      templates: (archived: 'true' | 'false' | 'any', signal?: Signal) =>
        get<{ items: Types.LabelTemplate[] }>('/label-templates', { archived }, signal),
      createTemplate: (body: Types.LabelTemplateCreate) =>
        send<Types.LabelTemplate>('POST', '/label-templates', body),
      /** Change a template, archive (`{ archived: true }`) or restore it. */
      updateTemplate: (code: string, body: Types.LabelTemplateUpdate) =>
        send<Types.LabelTemplate>('PATCH', at('/label-templates', code), body),
      /** The labels as a file (PDF, or ZPL text) and how many labels it holds. */
      print: async (body: Types.PrintRequest, signal?: Signal) => {
        const { blob, headers } = await http.requestBlob('POST', '/labels', { body, signal });
        return { blob, count: Number(headers.get('x-label-count') ?? 0) };
      },
    },
    serialFormats: {
      list: (query: Types.SerialFormatQuery, signal?: Signal) =>
        get<Types.SerialFormatPage>('/serial-formats', query, signal),
      create: (body: Types.SerialFormatCreate) =>
        send<Types.SerialFormat>('POST', '/serial-formats', body),
      /** Rename, change the target, archive (`{ archived: true }`) or restore a format. */
      update: (code: string, body: Types.SerialFormatUpdate) =>
        send<Types.SerialFormat>('PATCH', at('/serial-formats', code), body),
      preview: (body: { pattern: string; count?: number }) =>
        send<Types.SerialPreview>('POST', '/serial-formats/preview', body),
      assign: (code: string, body: Types.AssignSerials) =>
        send<Types.AssignResult>('POST', `${at('/serial-formats', code)}/assign`, body),
      ofLot: (code: string, signal?: Signal) =>
        get<{ items: Types.UnitSerial[] }>(`${at('/lots', code)}/serials`, undefined, signal),
    },
  };
}

export type Api = ReturnType<typeof createApi>;
