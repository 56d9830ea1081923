import { createContext, type Context } from '../../src/context.js';
import type { Database } from '../../src/db/database.js';
import type { Actor } from '../../src/domain/roles.js';
import { createLocation } from '../../src/locations/location.service.js';
import type { LocationCreate } from '../../src/locations/location.schemas.js';
import { createPart } from '../../src/parts/part.service.js';
import type { PartCreate } from '../../src/parts/part.schemas.js';
import type { ReceiveItem } from '../../src/stock/stock.schemas.js';
import { receiveStock } from '../../src/stock/stock.service.js';
import { testClock, type TestClock } from './clock.js';

export const admin: Actor = { code: null, name: 'test-admin', role: 'admin' };

let counter = 0;
const unique = (prefix: string) => `${prefix} ${++counter}`;

/** A context whose clock the test moves (see clock.ts). */
export interface TestContext extends Context {
  clock: TestClock;
}

export function testContext(db: Database): TestContext {
  return createContext(db, { clock: testClock() }) as TestContext;
}

export function makePart(ctx: Context, overrides: Partial<PartCreate> = {}) {
  return createPart(ctx, admin, { name: unique('Part'), ...overrides });
}

export function makeLocation(ctx: Context, overrides: Partial<LocationCreate> = {}) {
  return createLocation(ctx, admin, { name: unique('Shelf'), ...overrides });
}

/** A part, a location and one received lot of `quantity`. */
export async function makeLot(
  ctx: Context,
  options: {
    quantity?: number | string;
    unit?: PartCreate['unit'];
    item?: Partial<ReceiveItem>;
  } = {},
) {
  const part = await makePart(ctx, { unit: options.unit ?? 'pcs' });
  const location = await makeLocation(ctx);
  const result = await receiveStock(ctx, admin, [
    { part: part.code, location: location.code, quantity: options.quantity ?? 10, ...options.item },
  ]);
  return { part, location, lot: result.lots[0]!, operation: result.operation };
}
