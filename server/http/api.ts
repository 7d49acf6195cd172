import express, { type NextFunction, type Request, type Response } from 'express';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { can, type Permission } from '../../domain/admin/rbac.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { Principal } from '../services/auth/token.service.ts';
import type { Role } from '../db/entities/user.entity.ts';
import { phase } from '../lib/phases.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** set when the route requires authentication */
  principal: Principal;
  req: Request;
  res: Response;
}

/** What a handler returns: a JSON body (status 200 unless given), or nothing when it answered itself. */
export type HandlerResult = { status: number; body?: unknown; headers?: Record<string, string> } | void;

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  method: Method;
  /** express-style path relative to the router's mount point, e.g. `/wallet/ledger` or `/events/:id` */
  path: string;
  summary: string;
  /** the OpenAPI operationId; derived from the method and path when not given (`GET /api/events/{id}` → `getEventsById`) */
  operationId?: string;
  tags?: string[];
  /** `true` = any logged-in user; an array = only these roles */
  auth?: boolean | Role[];
  /**
   * An admin route: only an operator whose role holds this permission (domain/admin/rbac.ts); anyone else gets 403
   * `auth/forbidden` and the denial is reported (audit log). Implies authentication; tagged `admin` unless tags are given.
   */
  permission?: Permission;
  body?: B;
  query?: Q;
  params?: P;
  /** documented responses: status → description (+ optional schema) */
  responses: Record<number, string | { description: string; schema: ZodType }>;
  headers?: ZodType;
}

/** An attempt the admin guard refused: who tried which operation without the permission. */
export interface Denial {
  req: Request;
  principal: Principal;
  permission: Permission;
  /** the OpenAPI operationId, e.g. `getAdminAudit` */
  operationId: string;
}

export interface ApiRouterDeps {
  registry: OpenAPIRegistry;
  authenticate: (req: Request) => Promise<Principal>;
  /** told of every attempt the admin guard refused (must not throw: the caller gets its 403 either way) */
  onDenied?: (denial: Denial) => Promise<void>;
}

/**
 * An express Router whose routes are declared once: the same zod schemas validate the request and
 * document it in the OpenAPI registry. Handlers receive parsed input and return `{status, body}`.
 */
export class ApiRouter {
  readonly router = express.Router();

  constructor(
    private readonly deps: ApiRouterDeps,
    private readonly mountPath: string,
  ) {}

  route<B extends ZodType = ZodType<undefined>, Q extends ZodType = ZodType<undefined>, P extends ZodType = ZodType<undefined>>(
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>>) => Promise<HandlerResult> | HandlerResult,
  ): this {
    const operationId = this.document(spec);
    this.router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        phase('middleware');
        const principal = spec.permission
          ? await this.guard(req, spec.permission, operationId)
          : spec.auth
            ? await this.authorize(req, spec.auth)
            : (undefined as unknown as Principal);
        const ctx = {
          body: parse(spec.body, req.body, 'body'),
          query: parse(spec.query, req.query, 'query'),
          params: parse(spec.params, req.params, 'params'),
          principal,
          req,
          res,
        } as RouteContext<z.output<B>, z.output<Q>, z.output<P>>;
        phase('auth');
        const result = await handler(ctx);
        phase('handler');
        if (!result || res.headersSent) return;
        if (result.headers) res.set(result.headers);
        if (result.body === undefined) res.status(result.status).end();
        else res.status(result.status).json(result.body);
      } catch (err) {
        next(err);
      }
    });
    return this;
  }

  private async authorize(req: Request, auth: true | Role[]): Promise<Principal> {
    const principal = await this.deps.authenticate(req);
    if (Array.isArray(auth) && !auth.includes(principal.role)) {
      throw new DomainError('auth/forbidden', 'Your role does not allow this action.');
    }
    return principal;
  }

  /** The admin guard: a valid token whose role holds `permission`; a refusal is reported before the 403. */
  private async guard(req: Request, permission: Permission, operationId: string): Promise<Principal> {
    const principal = await this.deps.authenticate(req);
    if (!can(principal.role, permission)) {
      await this.deps.onDenied?.({ req, principal, permission, operationId });
      throw new DomainError('auth/forbidden', 'Your role does not allow this action.', { permission });
    }
    return principal;
  }

  private document(spec: RouteSpec<ZodType, ZodType, ZodType>): string {
    const path = (this.mountPath + spec.path).replace(/:(\w+)/g, '{$1}');
    const documented = { ...spec.responses };
    const authenticated = Boolean(spec.auth || spec.permission);
    // every authenticated operation can answer 401, a role-restricted one 403 (DESIGN §11)
    if (authenticated) documented[401] ??= 'auth/unauthenticated (missing, invalid or expired access token)';
    if (Array.isArray(spec.auth)) documented[403] ??= 'auth/forbidden (the role does not allow it)';
    if (spec.permission) documented[403] ??= `auth/forbidden (the role does not hold \`${spec.permission}\`)`;
    const responses = Object.fromEntries(
      Object.entries(documented).map(([status, r]) => [
        status,
        typeof r === 'string'
          ? { description: r, content: { 'application/json': { schema: errorOrAny(Number(status)) } } }
          : { description: r.description, content: { 'application/json': { schema: r.schema } } },
      ]),
    );
    const operationId = spec.operationId ?? operationIdOf(spec.method, path);
    this.deps.registry.registerPath({
      method: spec.method,
      path,
      summary: spec.summary,
      operationId,
      tags: spec.tags ?? (spec.permission ? ['admin'] : undefined),
      security: authenticated ? [{ bearerAuth: [] }] : [],
      ...(spec.permission ? { 'x-permission': spec.permission } : {}),
      request: {
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.params ? { params: spec.params as never } : {}),
        ...(spec.headers ? { headers: spec.headers as never } : {}),
      },
      responses,
    });
    return operationId;
  }
}

/** A stable operationId from the method and the documented path: `post /api/shop/purchases` → `postShopPurchases`. */
export function operationIdOf(method: Method, path: string): string {
  const words = path
    .split('/')
    .filter((part) => part && part !== 'api')
    .map((part) => (part.startsWith('{') ? `by-${part.slice(1, -1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** The error body every failure uses (DESIGN §8). */
export const ErrorBody = z
  .object({
    error: z.string().describe('stable code, `area/reason`'),
    message: z.string().describe('human-readable sentence'),
    request_id: z.string(),
  })
  .loose();

function errorOrAny(status: number): ZodType {
  return status >= 400 ? ErrorBody : z.any();
}

function parse<T extends ZodType | undefined>(schema: T, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value ?? {});
  if (r.success) {
    const bad = pathOfUnstorableText(r.data);
    if (bad) {
      const path = [where, ...bad].join('.');
      throw new DomainError('request/invalid', `Invalid request ${where}: ${path} ${UNSTORABLE}.`, {
        issues: [{ path, message: UNSTORABLE, code: 'invalid_format' }],
      });
    }
    return r.data;
  }
  throw new DomainError(
    'request/invalid',
    `Invalid request ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || where} ${i.message}`).join('; ')}.`,
    {
      issues: r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message, code: i.code })),
    },
  );
}

const UNSTORABLE = 'must be well-formed Unicode text without the NUL character (U+0000)';
/** U+0000, or half of a surrogate pair (`"\ud800"` is valid JSON but no Unicode text). */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Where a parsed input holds a string (or key) PostgreSQL cannot store: U+0000 fails the statement as a protocol error
 * (SQLSTATE 08P01, which reads as a database outage), a lone surrogate fails a json column. Iterative, with parent
 * links: inputs may nest deeply (a loose object's unknown keys are not parsed).
 */
function pathOfUnstorableText(data: unknown): string[] | undefined {
  type Trail = { key: string; up: Trail } | undefined;
  const found = (t: Trail) => {
    const path: string[] = [];
    for (let n = t; n; n = n.up) path.push(n.key);
    return path.reverse();
  };
  const stack: Array<[unknown, Trail]> = [[data, undefined]];
  while (stack.length > 0) {
    const [v, trail] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE_TEXT.test(v)) return found(trail);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (UNSTORABLE_TEXT.test(k)) return found({ key: k, up: trail });
        stack.push([x, { key: k, up: trail }]);
      }
    }
  }
  return undefined;
}
