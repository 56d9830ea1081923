import { existsSync } from 'node:fs';
import path from 'node:path';
import { webRoot } from '../../../src/paths.js';
import { startTestServer, type TestServer } from '../../support/server.js';

export type { ApiSession } from '../../support/server.js';
export type E2eServer = TestServer;

/** The real server (startTestServer), serving the built UI from dist/web. */
export async function startE2eServer(
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<E2eServer> {
  if (!existsSync(path.join(webRoot(), 'index.html'))) {
    throw new Error(
      `The web UI is not built (${webRoot()}): run \`npm run build:web\` (\`npm test\` builds it).`,
    );
  }
  return startTestServer(options);
}
