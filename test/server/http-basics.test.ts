import { expect } from 'chai';
import { connect } from 'node:net';
import { signedHeaders } from '../../server/lib/webhook-signature.ts';
import { signup, startTestServer, TEST_SECRETS, type TestServer } from '../helpers/test-server.ts';

describe('HTTP basics', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('http', { CORS_ORIGINS: 'https://play.example', BODY_LIMIT: '1kb' });
  });
  after(async () => {
    await s?.stop();
  });

  const noStack = (text: string) => expect(text).to.not.match(/\bat .*\.(ts|js):\d+|node_modules|Error:/);

  it('answers malformed JSON with 400 request/malformed_json', async () => {
    const res = await s.http.request('POST', '/api/auth/signup', { raw: '{"username": "x",' });
    expect(res.status).to.equal(400);
    expect(res.body.error).to.equal('request/malformed_json');
    noStack(res.text);
  });

  it('answers wrong types with 400 request/invalid naming the field', async () => {
    const res = await s.http.post('/api/auth/login', { username: 42, password: ['x'] });
    expect(res.status).to.equal(400);
    expect(res.body.error).to.equal('request/invalid');
    expect(res.body.issues.map((i: { path: string }) => i.path)).to.include.members(['body.username', 'body.password']);
  });

  it('answers an oversized body with 400 request/too_large', async () => {
    const res = await s.http.post('/api/auth/signup', { username: 'big_body', password: 'x'.repeat(5000) });
    expect(res.status).to.equal(400);
    expect(res.body.error).to.equal('request/too_large');
    noStack(res.text);
  });

  it('answers a non-object body with 400, never 500', async () => {
    for (const raw of ['null', '[]', '"text"', '12']) {
      const res = await s.http.request('POST', '/api/auth/login', { raw });
      expect(res.status, raw).to.equal(400);
      expect(res.body.error, raw).to.match(/^request\//);
    }
  });

  it('answers a path parameter that is not valid percent-encoding with 400 request/invalid, never 500', async () => {
    const { access } = await signup(s.http);
    for (const path of [
      '/api/events/%ZZ/claim',
      '/api/missions/%FF/claim',
      '/api/fairness/rounds/%E0%80',
      '/api/dev/payments/%/complete',
    ]) {
      const res = await s.http.request(path.startsWith('/api/fairness') ? 'GET' : 'POST', path, { token: access });
      expect(res.status, path).to.equal(400);
      expect(res.body.error, path).to.equal('request/invalid');
      expect(res.body.message, path).to.be.a('string');
      noStack(res.text);
    }
  });

  it('answers a body whose Content-Encoding does not decompress with 400 request/invalid, never 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await s.http.request('POST', '/api/auth/login', {
        raw: '{"username":"a","password":"b"}',
        headers: { 'content-encoding': encoding },
      });
      expect(res.status, encoding).to.equal(400);
      expect(res.body.error, encoding).to.equal('request/invalid');
      noStack(res.text);
    }
  });

  it('refuses U+0000 in an input string with 400 request/invalid naming the field (PostgreSQL cannot store it; never a 503)', async () => {
    const login = await s.http.post('/api/auth/login', { username: 'a\u0000b', password: 'whatever' });
    expect(login.status).to.equal(400);
    expect(login.body).to.include({ error: 'request/invalid' });
    expect(login.body.issues.map((i: { path: string }) => i.path)).to.deep.equal(['body.username']);
    const { access } = await signup(s.http);
    const buy = await s.http.post(
      '/api/shop/purchase',
      { sku: '\u0000' },
      { token: access, headers: { 'idempotency-key': 'nul-sku-key-1' } },
    );
    expect(buy.status).to.equal(400);
    expect(buy.body.issues.map((i: { path: string }) => i.path)).to.deep.equal(['body.sku']);
  });

  it('refuses a lone surrogate (\\ud800: valid JSON, not Unicode text) with 400 request/invalid, also in a validly signed webhook', async () => {
    const login = await s.http.request('POST', '/api/auth/login', { raw: '{"username":"a\\ud800","password":"whatever"}' });
    expect(login.status).to.equal(400);
    expect(login.body.issues.map((i: { path: string }) => i.path)).to.deep.equal(['body.username']);
    const raw = '{"event_id":"\\udc00x","receipt_code":"R0","status":"success"}';
    const hook = await s.http.request('POST', '/api/shop/webhook/payment', {
      raw,
      headers: signedHeaders(TEST_SECRETS.PAYMENT_WEBHOOK_SECRET, raw),
    });
    expect(hook.status).to.equal(400);
    expect(hook.body.issues.map((i: { path: string }) => i.path)).to.deep.equal(['body.event_id']);
    const paired = await s.http.request('POST', '/api/auth/login', { raw: '{"username":"a\\ud83d\\ude00","password":"whatever"}' });
    expect(paired.status, 'a surrogate pair is an ordinary character').to.equal(401);
  });

  it('puts the request id in the response header, the error body and keeps a well-formed caller id', async () => {
    const res = await s.http.get('/api/nope', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.status).to.equal(404);
    expect(res.body).to.include({ error: 'resource/not_found', request_id: 'trace-abc.123' });
    expect(res.headers.get('x-request-id')).to.equal('trace-abc.123');
    const generated = await s.http.get('/api/nope', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.body.request_id).to.match(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS only for configured origins (never reflects any origin)', async () => {
    const allowed = await s.http.get('/health', { headers: { origin: 'https://play.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).to.equal('https://play.example');
    const other = await s.http.get('/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    const matchmake = await s.http.request('OPTIONS', '/matchmake/joinOrCreate/hub', { headers: { origin: 'https://evil.example' } });
    expect(matchmake.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('sets security headers (helmet) and hides the framework', async () => {
    const res = await s.http.get('/health');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('serves /health, /ready and Prometheus /metrics with the HTTP latency histogram', async () => {
    expect((await s.http.get('/health')).status).to.equal(200);
    const ready = await s.http.get('/ready');
    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ postgres: 'ok', redis: 'ok' });
    await signup(s.http);
    const metrics = await s.http.get('/metrics');
    expect(metrics.status).to.equal(200);
    expect(metrics.text).to.match(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/auth\/signup"[^}]*status="201"/);
    expect(metrics.text).to.include('process_cpu_user_seconds_total');
  });

  it('serves an OpenAPI 3.1 document generated from the request schemas', async () => {
    const res = await s.http.get('/api/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.equal('3.1.0');
    for (const p of [
      '/api/auth/signup',
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/wallet',
      '/api/wallet/ledger',
    ]) {
      expect(res.body.paths, p).to.have.property(p);
    }
    const signupSchema = res.body.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(signupSchema)).to.include('[a-zA-Z0-9_]{3,20}');
  });

  it('answers requests the HTTP parser refuses (bad request line, headers over 16 KiB) in the error shape', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const sock = connect(Number(new URL(s.url).port), '127.0.0.1', () => sock.end(text));
        let out = '';
        sock
          .on('data', (d) => {
            out += d;
          })
          .on('end', () => resolve(out))
          .on('error', reject);
      });
    const bad = await raw('GARBAGE /\x00 HTTP/9\r\n\r\n');
    expect(bad).to.match(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(bad.split('\r\n\r\n')[1])).to.include({ error: 'request/invalid' });
    const huge = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).to.match(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.split('\r\n\r\n')[1]).message).to.be.a('string');
  });
});
