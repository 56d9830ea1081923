import type { Context } from '../context.js';
import { parseCode } from '../domain/code.js';
import { NotFoundError } from '../domain/errors.js';
import { findLotRows, type LotWithPart } from './lot.repository.js';

export async function getLotRow(ctx: Context, ref: string, field = 'code'): Promise<LotWithPart> {
  const code = parseCode(ref, field);
  const [row] = await findLotRows(ctx.db, [code]);
  if (!row) throw new NotFoundError('lot', code, field);
  return row;
}
