/**
 * The API's types, taken from the server's zod schemas (type-only: nothing of the server or of
 * zod is bundled). A change of a schema shows up here as a type error in the web UI.
 */
import type { z } from 'zod';
import type { ErrorDetail } from '@domain/common.schemas.js';
import type { LabelMediaItem } from '../../../src/labels/label.schemas.js';
import type { Lot } from '../../../src/lots/lot.schemas.js';
import type { BomFileErrorBody, BomImportResult } from '../../../src/projects/project.schemas.js';
import type { StockPage } from '../../../src/stock/stock.schemas.js';
import type { Recall } from '../../../src/trace/trace.schemas.js';

export type { DemoSummary } from '../../../src/demo/demo.schemas.js';
export type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  Me,
  Login,
  PasswordReset,
  User,
  UserCreate,
  UserCreated,
  UserUpdate,
} from '../../../src/auth/auth.schemas.js';
export type { SsoInfo } from '../../../src/auth/oidc.schemas.js';
import type {
  AuditQuery as AuditQuerySchema,
  ChangeDetail as ChangeDetailSchema,
  ChangePage as ChangePageSchema,
  VerifyReport as VerifyReportSchema,
} from '../../../src/audit/audit.schemas.js';
export type AuditQuery = Partial<z.input<typeof AuditQuerySchema>>;
export type ChangePage = z.infer<typeof ChangePageSchema>;
export type ChangeDetail = z.infer<typeof ChangeDetailSchema>;
export type VerifyReport = z.infer<typeof VerifyReportSchema>;
export type { Site, SiteList, SiteUpdate } from '../../../src/sites/site.schemas.js';
export type {
  Conflict,
  ConflictPage,
  ResolveConflict,
} from '../../../src/sync/conflict.schemas.js';
export type { Peer, PeerAdd, PeerSync } from '../../../src/sync/peer.schemas.js';
export type {
  Delivery,
  DeliveryPage,
  Webhook,
  WebhookCreate,
  WebhookCreated,
  WebhookList,
} from '../../../src/webhooks/webhook.schemas.js';
export type {
  SignatureInput,
  SignatureSettings,
  SignatureSettingsUpdate,
} from '../../../src/signatures/signature.schemas.js';
export type {
  Part,
  PartCreate,
  PartKind,
  PartPage,
  PartQuery,
  PartUpdate,
} from '../../../src/parts/part.schemas.js';
export type {
  Location,
  LocationCreate,
  LocationPage,
  LocationQuery,
} from '../../../src/locations/location.schemas.js';
export type {
  Lot,
  LotFields,
  LotHistoryItem,
  LotPage,
  LotQuery,
} from '../../../src/lots/lot.schemas.js';
export type {
  AdjustRequest,
  MoveRequest,
  OperationResult,
  ReceiveItem,
  ReceiveResult,
  RemoveRequest,
  StatusRequest,
  StockPage,
  StockQuery,
} from '../../../src/stock/stock.schemas.js';
export type {
  BatchReceiveRequest,
  BatchReceiveResult,
  BatchRow,
} from '../../../src/stock/receive-batch.schemas.js';
export type {
  PartLookupRequest,
  PartLookupResult,
} from '../../../src/parts/part-lookup.schemas.js';
export type { Resolved } from '../../../src/resolver/resolve.schemas.js';
export type { Receipt as ScanReceipt, ScanResult } from '../../../src/resolver/scan.schemas.js';
export type {
  AssignResult,
  AssignSerials,
  SerialFormat,
  SerialFormatCreate,
  SerialFormatPage,
  SerialFormatQuery,
  SerialFormatUpdate,
  SerialPreview,
  UnitSerial,
} from '../../../src/serials/serial.schemas.js';
export type { Attachment } from '../../../src/attachments/attachment.schemas.js';
export type {
  LabelTemplate,
  LabelTemplateCreate,
  LabelTemplateUpdate,
  PrintRequest,
} from '../../../src/labels/label.schemas.js';
export type { SupplierPart } from '../../../src/parts/part.schemas.js';
export type {
  Printer,
  PrinterCreate,
  PrinterUpdate,
  PrintJob,
  PrintJobCreate,
} from '../../../src/printers/printer.schemas.js';
export type {
  Bom,
  BomApproval,
  BomApprovalRequest,
  BomEntry,
  BomEntryCreate,
  BomEntryUpdate,
  BomStage,
  BomStageAssign,
  StageCreate,
  StageUpdate,
  BomImportLine,
  BomImportRequest,
  BomImportResult,
  MatchKind,
  Project,
  ProjectCreate,
  ProjectPage,
  ProjectQuery,
} from '../../../src/projects/project.schemas.js';
export type {
  Build,
  BuildCreate,
  BuildEntryChange,
  BuildPage,
  BuildPlan,
  BuildPlanRequest,
  BuildQuery,
  BuildStatus,
  BuildUnit,
  CompleteStage,
  CompletionResult,
  CompletionReversal,
  Consumed,
  FinishRequest,
  InstallRequest,
  Installation,
  LotChoice,
  PlanEntry,
  Shortage,
  TimelineEvent,
  UninstallRequest,
  UnitPage,
} from '../../../src/builds/build.schemas.js';
export type { PickChoice, PickLine, PickList } from '../../../src/builds/pick-list.schemas.js';
export type {
  HoldRequest,
  HoldResult,
  RecallHold,
  RecallHolds,
  RecallReleaseRequest,
  RecallReleaseResult,
  Recall,
  RecallItem,
  TraceEdge,
  TraceNode,
  TraceTree,
} from '../../../src/trace/trace.schemas.js';
export type {
  BuildTestSummary,
  TestResult,
  TestResultInput,
  TestStatus,
  UnitTests,
} from '../../../src/test-results/test-result.schemas.js';
export type {
  TestTemplate,
  TestTemplateCreate,
  TestTemplateListItem,
  TestTemplateUpdate,
} from '../../../src/test-results/test-template.schemas.js';
export type {
  Shipment,
  ShipmentCreate,
  ShipmentPage,
  ShipmentQuery,
  ShipmentSummary,
} from '../../../src/shipments/shipment.schemas.js';
export type {
  ReleaseRequest,
  ReturnRequest,
  ServiceEvent,
  ServiceEventCreate,
  ServiceEventPage,
  ServiceEventType,
  UnitStatus,
  UnitStatusList,
} from '../../../src/units/unit.schemas.js';
export type { LifecycleOperation } from '@domain/unit-lifecycle.js';
export type { TestValueType } from '@domain/test-value.js';
export type { BomField } from '@domain/bom-csv.js';
export type { Picking } from '@domain/picking.js';
export type { UnitState } from '@domain/unit-state.js';
export type { StockStatus, StockEntryType } from '@domain/stock-status.js';
export type { HistoryEventType } from '@domain/history.js';
export type { Unit } from '@domain/quantity.js';
export type { Role } from '@domain/roles.js';

export type ApiErrorBody = ErrorDetail;
export type Candidate = NonNullable<ApiErrorBody['candidates']>[number];
export type Balance = Lot['balances'][number];
export type StockRow = StockPage['items'][number];
/** Every offending line of a BOM file the server refused (line 0: the file as a whole). */
export type BomProblem = NonNullable<z.infer<typeof BomFileErrorBody>['error']['problems']>[number];
export type BomFormat = BomImportResult['format'];
export type RecallState = Recall['items'][number]['status']['state'];
/** A label media preset (GET /label-media) with the layout it prints without a template. */
export type LabelMedia = z.infer<typeof LabelMediaItem>;
export type LabelSymbology = LabelMedia['defaultTemplate']['symbology'];

/** Every list answer: one page of items and where it lies in the whole. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
