/**
 * The API's types, taken from the server's zod schemas (type-only: nothing of the server or of
 * zod is bundled). A change of a schema shows up here as a type error in the web UI.
 */
import type { z } from 'zod';
import type { ErrorBody } from '../../../src/domain/common.schemas.js';
import type { Lot } from '../../../src/lots/lot.schemas.js';
import type { StockPage } from '../../../src/stock/stock.schemas.js';

export type { Me, Login, User, UserCreate, UserCreated } from '../../../src/auth/auth.schemas.js';
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
export type { Resolved } from '../../../src/resolver/resolve.schemas.js';
export type { StockStatus, StockEntryType } from '../../../src/domain/stock-status.js';
export type { HistoryEventType } from '../../../src/domain/history.js';
export type { Unit } from '../../../src/domain/quantity.js';
export type { Role } from '../../../src/domain/roles.js';

export type ApiErrorBody = z.infer<typeof ErrorBody>['error'];
export type Candidate = NonNullable<ApiErrorBody['candidates']>[number];
export type Balance = Lot['balances'][number];
export type StockRow = StockPage['items'][number];

/** Every list answer: one page of items and where it lies in the whole. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
