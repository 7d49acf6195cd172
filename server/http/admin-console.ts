import { existsSync } from 'node:fs';
import express from 'express';

/**
 * The console's own policy: scripts, styles, fonts and API calls from this origin only (no inline script or style),
 * images from here or data: URLs, never framed. It replaces the game's policy for everything under /admin/.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths under /admin/ that belong to other tools (room monitor, queue board), never to the console. */
const NOT_THE_CONSOLE = /^\/(monitor|queues)(\/|$)/;
const HASHED_ASSET = /[\\/]assets[\\/].+-[\w-]{8}\.\w+$/;

/**
 * The operators' console (admin/dist) at /admin/: hashed assets cached for a year, and index.html (never cached) for
 * /admin/ and every deep link (/admin/players?…), so the console's router opens the page. No-op until built.
 */
export function adminConsole(dir: string): express.Router {
  const router = express.Router();
  const index = `${dir}/index.html`;
  const statics = express.static(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => res.setHeader('Cache-Control', HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  router.use('/admin', (req, res, next) => {
    if (NOT_THE_CONSOLE.test(req.path) || !existsSync(index)) {
      next('router');
      return;
    }
    res.setHeader('Content-Security-Policy', ADMIN_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    statics(req, res, next);
  });
  router.get(['/admin', '/admin/{*page}'], (req, res, next) => {
    // a missing asset is a 404, not the page
    if (req.path.startsWith('/admin/assets/')) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
