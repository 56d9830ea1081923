/**
 * `node --import tsx bench/support/round-robin.ts <port> <origin>…`: a tiny HTTP front that
 * hands each request to the next server in turn over keep-alive connections, as a load balancer
 * would. A server that cannot be reached is answered 502 (counted apart from the servers' own
 * answers by the cluster benchmark).
 */
import http from 'node:http';

const [portArg, ...origins] = process.argv.slice(2);
if (!portArg || origins.length === 0) {
  console.error('usage: round-robin.ts <port> <origin>…');
  process.exit(2);
}
const backends = origins.map((origin) => {
  const url = new URL(origin);
  return {
    host: url.hostname,
    port: Number(url.port),
    agent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  };
});
let next = 0;

const server = http.createServer((request, response) => {
  const backend = backends[next++ % backends.length]!;
  const forward = http.request(
    {
      host: backend.host,
      port: backend.port,
      agent: backend.agent,
      method: request.method,
      path: request.url,
      headers: request.headers,
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  forward.on('error', (error) => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'bad_gateway', message: String(error) } }));
  });
  request.pipe(forward);
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portArg), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  for (const b of backends) b.agent.destroy();
});
