import type { Kysely } from 'kysely';

// Single sign-on through an OpenID Connect provider (docs/sso.md):
// - app_user.oidc_issuer and oidc_subject: the provider's issuer and its `sub` for a user it
//   created; null for local users. A user is found by these two, never by name; the unique index
//   lets each subject of an issuer be one user (NULLs, local users, never collide).
// - oidc_login: a login begun at /auth/oidc/start and not yet back from the provider — the hash
//   of the browser's cookie, the state, nonce and PKCE verifier sent with it, and where to go
//   afterwards. Operational, like login_throttle: not in the change log, not exported; each is
//   taken once and expires within minutes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('oidc_issuer', 'text').execute();
  await db.schema.alterTable('app_user').addColumn('oidc_subject', 'text').execute();
  await db.schema
    .createIndex('app_user_oidc_subject')
    .on('app_user')
    .columns(['oidc_issuer', 'oidc_subject'])
    .unique()
    .execute();

  await db.schema
    .createTable('oidc_login')
    .addColumn('cookie_hash', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_login_expires').on('oidc_login').column('expires_at').execute();
}
