import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode } from '../domain/code.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findActiveKeyByHash,
  findApiKeyRow,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
  type ApiKeyRow,
} from './api-key.repository.js';
import { ApiKeyCreate, type ApiKey, type ApiKeyCreated } from './auth.schemas.js';
import { randomSecret, sha256 } from './secrets.js';

export const API_KEY_PREFIX = 'tl_';

/** Creates a key; the key itself is returned only here, and stored only as a hash. */
export async function createApiKey(
  ctx: Context,
  actor: Actor,
  input: ApiKeyCreate,
): Promise<ApiKeyCreated> {
  const data = parseInput(ApiKeyCreate, input);
  const key = API_KEY_PREFIX + randomSecret(40);
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await insertApiKey(db, {
      code,
      name: data.name,
      role: data.role,
      key_hash: sha256(key),
      created_at: at,
      revoked_at: null,
    });
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name, role: data.role } },
    ]);
  });
  return { apiKey: toApiKey((await findApiKeyRow(ctx.db, code))!), key };
}

export async function listApiKeys(ctx: Context): Promise<ApiKey[]> {
  return (await listApiKeyRows(ctx.db)).map(toApiKey);
}

export async function revokeApiKey(ctx: Context, actor: Actor, ref: string): Promise<ApiKey> {
  const code = parseCode(ref);
  await inTransaction(ctx.db, async (db) => {
    const row = await findApiKeyRow(db, code);
    if (!row) throw new NotFoundError('API key', code, 'code');
    const at = now(ctx);
    if (!(await revokeApiKeyRow(db, code, at)))
      throw new ConflictError('the key is revoked already', 'code');
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'archived', data: { revoked: true } },
    ]);
  });
  return toApiKey((await findApiKeyRow(ctx.db, code))!);
}

/** The actor a bearer key stands for, or undefined for an unknown or revoked key. */
export async function authenticateApiKey(ctx: Context, key: string): Promise<Actor | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await findActiveKeyByHash(ctx.db, sha256(key));
  return row && { code: row.code, name: `key:${row.name}`, role: row.role };
}

/** How long a server trusts a key it has looked up: revoking takes at most this long elsewhere. */
export const API_KEY_MEMORY_MS = 1000;
const API_KEY_MEMORY_SIZE = 1000;

/**
 * Remembers the keys it recognised for API_KEY_MEMORY_MS of ctx's clock, so a test station or an
 * ERP sending many requests with one key costs one SHA-256 and one query a second instead of one
 * each (a quarter of a resolve request's server time). `forget()` empties it: the server that
 * revokes a key stops accepting it at once; other servers and the CLI's changes take at most
 * API_KEY_MEMORY_MS. Unknown keys are never remembered.
 */
export class ApiKeyMemory {
  readonly #known = new Map<string, { actor: Actor; until: number }>();
  constructor(private readonly ctx: Context) {}

  /** The actor, when `key` was recognised within API_KEY_MEMORY_MS; no I/O. */
  recall(key: string): Actor | undefined {
    const known = this.#known.get(key);
    return known && known.until > this.ctx.clock().getTime() ? known.actor : undefined;
  }

  async authenticate(key: string): Promise<Actor | undefined> {
    const actor = await authenticateApiKey(this.ctx, key);
    if (!actor) return undefined;
    if (this.#known.size >= API_KEY_MEMORY_SIZE) this.#known.clear();
    this.#known.set(key, { actor, until: this.ctx.clock().getTime() + API_KEY_MEMORY_MS });
    return actor;
  }

  forget(): void {
    this.#known.clear();
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    code: row.code,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
