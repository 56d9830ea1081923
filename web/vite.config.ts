import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The web UI: built into dist/web, which `tracelot serve` serves at /. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // The same alias in web/tsconfig.json: the domain's pure functions, shared with the server.
  resolve: { alias: { '@domain': fileURLToPath(new URL('../src/domain', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    // `npm run dev:web` next to `tracelot serve` on its default port.
    proxy: { '/api': 'http://localhost:8080' },
  },
});
