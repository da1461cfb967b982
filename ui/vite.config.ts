import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web UI. The API serves the build at /app/ (api/ui-static.ts); `npm run ui:build` writes it to
 * ui/dist. Calls go to the same origin, so no proxy and no CORS.
 */
export default defineConfig({
  root: 'ui',
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
});
