/**
 * The floor of the HTTP resolve benchmark, run as its own process:
 * `node --import tsx bench/support/floor-server.ts <sqlite file> <port>`.
 * A bare fastify route answering GET /resolve?q=<code or prefix> with one prepared statement:
 * no auth, no validation library, no query builder.
 */
import Fastify from 'fastify';
import { floorLookup } from './floor-sql.js';
import { openBareSqlite } from './sqlite.js';

const [file, port] = process.argv.slice(2);
if (!file || !port) throw new Error('usage: floor-server.ts <sqlite file> <port>');

const lookup = floorLookup(openBareSqlite(file));
const app = Fastify({ logger: false });

app.get('/resolve', (request, reply) => {
  const q = (request.query as { q?: string }).q ?? '';
  if (q.length === 26) {
    const row = lookup.byCode(q);
    return row ? row : reply.code(404).send({ error: 'not found' });
  }
  const rows = lookup.byPrefix(q);
  if (rows.length === 1) return rows[0];
  return reply
    .code(rows.length ? 409 : 404)
    .send({ error: rows.length ? 'ambiguous' : 'not found' });
});
app.get('/health', () => ({ status: 'ok' }));

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
