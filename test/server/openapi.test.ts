import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/** The served OpenAPI document is what generated clients see: Redocly's recommended rules must pass on it. */
describe('OpenAPI document', () => {
  let s: TestServer;
  let doc: { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };
  let dir: string;
  before(async () => {
    s = await startTestServer('openapi');
    doc = (await s.http.get('/api/openapi.json')).body;
    dir = await mkdtemp(join(tmpdir(), 'neon-openapi-'));
  });
  after(async () => {
    await s?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((m) => (item[m] ? [{ name: `${m.toUpperCase()} ${path}`, op: item[m] }] : [])),
    );

  it('passes `redocly lint` (recommended rules) with no error and no warning', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc));
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const lint = await run('redocly', ['lint', file, '--config', 'redocly.yaml', '--format', 'json'], { env }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    const problems = (JSON.parse(lint.stdout) as { problems: { ruleId: string; message: string; location: { pointer: string }[] }[] })
      .problems;
    const listed = problems.map((p) => `${p.ruleId}: ${p.message} (${p.location[0]?.pointer})`);
    expect(problems.length, `${lint.stderr}\n${listed.join('\n')}`).to.equal(0);
  });

  it('names every operation with a unique operationId', () => {
    const ops = operations();
    expect(ops.length).to.be.greaterThan(30);
    expect(ops.filter((o) => !o.op.operationId).map((o) => o.name)).to.deep.equal([]);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('marks public operations `security: []` and documents 401 on every authenticated one', () => {
    for (const { name, op } of operations()) {
      expect(op.security, name).to.be.an('array');
      if (op.security!.length > 0) expect(op.responses, name).to.have.property('401');
    }
    const publicOps = operations()
      .filter((o) => o.op.security!.length === 0)
      .map((o) => o.name);
    expect(publicOps).to.include.members(['POST /api/auth/signup', 'POST /api/auth/login', 'POST /api/auth/refresh']);
  });

  it('documents a 4xx on every operation that takes input or a token', () => {
    const takesInput = (op: Operation) => op.security!.length > 0 || (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined;
    const without4xx = operations()
      .filter((o) => takesInput(o.op) && !Object.keys(o.op.responses).some((status) => status.startsWith('4')))
      .map((o) => o.name);
    expect(without4xx).to.deep.equal([]);
  });
});
