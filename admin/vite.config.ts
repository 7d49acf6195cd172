// The operators' console: `vite build --config admin/vite.config.ts` (npm start does it) → admin/dist, served at `/admin/`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.NEON_SERVER_URL ?? 'http://localhost:2567';

export default defineConfig({
  root,
  base: '/admin/',
  publicDir: 'public',
  plugins: [react()],
  server: {
    port: Number(process.env.ADMIN_DEV_PORT ?? 5174),
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': { target, changeOrigin: true } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline <script> or data: module preload polyfill: the console's CSP allows scripts from 'self' only
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // the libraries change less often than the console: their chunks stay cached across its releases
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
