// The game client: `vite build --config client/vite.config.ts` (npm start does it) → client/dist, served at `/`.
// `npm run dev` serves it with hot reload and proxies the API and the room sockets to a local server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.NEON_SERVER_URL ?? 'http://localhost:2567';

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  server: {
    port: Number(process.env.CLIENT_DEV_PORT ?? 5173),
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: {
      '/api': { target, changeOrigin: true },
      '/matchmake': { target, changeOrigin: true },
      // Colyseus room sockets: /<processId>/<roomId>
      '^/[\\w-]+/[\\w-]+(\\?.*)?$': { target, changeOrigin: true, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1600,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'phaser', test: /node_modules[\\/]phaser/ }] } } },
  },
});
