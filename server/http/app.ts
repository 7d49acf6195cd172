import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Request } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { Services } from '../services/index.ts';
import { auditDenied, auditDeniedPage } from './admin-audit.ts';
import { adminConsole } from './admin-console.ts';
import { ApiRouter } from './api.ts';
import { errorHandler, notFound } from './middleware/error-handler.ts';
import { httpMetrics } from './middleware/http-metrics.ts';
import { getRequestId, requestId } from './middleware/request-id.ts';
import { adminSessionGuard } from './middleware/admin-session.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { adminTools } from './routes/admin/tools.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { devPaymentRoutes } from './routes/dev-payments.routes.ts';
import { fairnessRoutes } from './routes/fairness.routes.ts';
import { gamesRoutes, type RpsSeat } from './routes/games.routes.ts';
import { liveopsRoutes } from './routes/liveops.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { shopRoutes } from './routes/shop.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { inboxRoutes } from './routes/inbox.routes.ts';
import { limitsRoutes } from './routes/limits.routes.ts';
import { walletRoutes } from './routes/wallet.routes.ts';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  redis: Redis;
  metrics: Metrics;
  services: Services;
  /** the BullMQ queues shown at /admin/queues */
  queues?: Queue[];
  /** pairs RPS players into duels (a Colyseus seat reservation per request); without it the route answers 404 */
  rpsSeat?: RpsSeat;
}

/** Builds the Express app (no `listen`): middleware, the player API under /api, health and metrics. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const { config, logger, services } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.use(requestId);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => getRequestId(req as Request),
      autoLogging: { ignore: (req) => ['/health', '/ready', '/metrics'].includes(req.url ?? '') },
      // 503 is load shedding or a dependency being down (the error handler logs the cause): a warning, not a bug
      customLogLevel: (_req, res, err) =>
        res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
      // pino-http makes up an Error (with its own stack) for a 5xx without one; the status says as much
      customErrorObject: (_req, res, _err, val) => (res.statusCode === 503 ? { res: val.res, responseTime: val.responseTime } : val),
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }), res: (res) => ({ status: res.statusCode }) },
    }),
  );
  app.use(
    helmet({
      crossOriginEmbedderPolicy: false,
      // the game loads its SVG art through blob: URLs (Phaser's loader) and talks to the rooms over WebSockets
      contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'connect-src': ["'self'", 'ws:', 'wss:'] } },
    }),
  );
  app.use(httpMetrics(deps.metrics));
  app.use(healthRoutes(deps));

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const api = new ApiRouter(
    {
      registry,
      authenticate: (req) => services.tokens.verifyAccessToken(bearer(req.get('authorization'))),
      onDenied: auditDenied(services.audit),
    },
    '/api',
  );
  authRoutes(api, services.auth);
  walletRoutes(api, { orm: deps.orm, wallet: services.wallet });
  fairnessRoutes(api, { fairness: services.fairness, crash: services.crash });
  gamesRoutes(api, { rpsSeat: deps.rpsSeat });
  shopRoutes(api, { shop: services.shop, payments: services.payments });
  devPaymentRoutes(api, { config, shop: services.shop, payments: services.payments });
  liveopsRoutes(api, { liveops: services.liveops, streak: services.streak, profile: services.profile });
  inboxRoutes(api, { inbox: services.inbox });
  limitsRoutes(api, { limits: services.limits });
  metricsRoutes(api, { metrics: services.publicMetrics, streamEveryMs: 3000 });
  adminRoutes(api, services);

  const openapi = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Neon Club player API',
      version: '1.0.0',
      description: 'Errors: `{error, message, request_id, ...details}`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
  });

  // a CSV import upload carries up to 50,000 rows: its own, larger body limit (parsed here, the next parser skips it)
  app.post('/api/admin/imports', express.json({ limit: config.IMPORT_BODY_LIMIT, strict: true }));
  // the raw bytes are kept for the payment webhook's signature check
  app.use(
    '/api',
    express.json({
      limit: config.BODY_LIMIT,
      strict: true,
      verify: (req, _res, buf) => {
        (req as Request & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );
  app.use('/api', (_req, _res, next) => RequestContext.create(deps.orm.em, next));
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/api', api.router);
  // the room monitor, bull-board and the KPI stream for an EventSource: admin pages behind the admin session
  const requireAdminSession = adminSessionGuard(services.tokens, auditDeniedPage(services.audit));
  app.use(adminTools({ requireAdminSession, queues: deps.queues ?? [], kpis: services.kpis, jobEvents: services.jobEvents }));
  app.use(adminConsole(ADMIN_DIST));
  app.use(webClient(CLIENT_DIST));
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

const CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url));
const ADMIN_DIST = fileURLToPath(new URL('../../admin/dist', import.meta.url));

/** The built game client at `/` (hashed assets cached for a year, index.html never), when it has been built. */
function webClient(dir: string): express.RequestHandler {
  const router = express.Router();
  const statics = express.static(dir, {
    index: false,
    setHeaders: (res, path) =>
      res.setHeader('Cache-Control', /[\\/]assets[\\/].+-[\w-]{8}\.\w+$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  router.use((req, res, next) => (existsSync(dir) ? statics(req, res, next) : next()));
  router.get('/', (_req, res, next) => {
    const index = `${dir}/index.html`;
    if (!existsSync(index)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1];
}
