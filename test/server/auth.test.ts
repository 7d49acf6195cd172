import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';

describe('auth API', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('auth', { LOGIN_WINDOW_SECONDS: 2 });
  });
  after(async () => {
    await s?.stop();
  });

  describe('signup', () => {
    it('creates an account with 1000 GOLD credited through the ledger', async () => {
      const username = uniqueName('Alice');
      const res = await s.http.post('/api/auth/signup', { username, password: 'password123' });
      expect(res.status).to.equal(201);
      expect(res.body.user).to.include({ username, role: 'player', level: 1 });
      expect(res.body.access_token).to.be.a('string');
      expect(res.body.refresh_token).to.be.a('string');

      const wallet = await s.http.get('/api/wallet', { token: res.body.access_token });
      expect(wallet.status).to.equal(200);
      expect(wallet.body.balances).to.deep.equal({ GOLD: 1000, GEM: 0 });

      const ledger = await s.http.get('/api/wallet/ledger', { token: res.body.access_token });
      expect(ledger.body.entries).to.have.length(1);
      expect(ledger.body.entries[0]).to.include({ currency: 'GOLD', delta: 1000, balance_after: 1000, reason: 'signup_bonus' });
    });

    it('refuses a username that differs only in case with 409 auth/username_taken', async () => {
      const username = uniqueName('Bob');
      await signup(s.http, username);
      const res = await s.http.post('/api/auth/signup', { username: username.toUpperCase(), password: 'password123' });
      expect(res.status).to.equal(409);
      expect(res.body.error).to.equal('auth/username_taken');
    });

    for (const [what, body] of [
      ['a short username', { username: 'ab', password: 'password123' }],
      ['a long username', { username: 'a'.repeat(21), password: 'password123' }],
      ['a username with a space', { username: 'bad name', password: 'password123' }],
      ['a short password', { username: 'valid_name', password: 'short' }],
      ['an extra field', { username: 'valid_name2', password: 'password123', role: 'admin' }],
    ] as const) {
      it(`rejects ${what} with 400 request/invalid`, async () => {
        const res = await s.http.post('/api/auth/signup', body);
        expect(res.status).to.equal(400);
        expect(res.body.error).to.equal('request/invalid');
        expect(res.body.issues).to.be.an('array').that.is.not.empty;
      });
    }
  });

  describe('login and lockout', () => {
    it('logs in case-insensitively and answers 401 to a wrong password', async () => {
      const u = await signup(s.http);
      const ok = await s.http.post('/api/auth/login', { username: u.username.toUpperCase(), password: u.password });
      expect(ok.status).to.equal(200);
      expect(ok.body.user.id).to.equal(u.userId);
      const bad = await s.http.post('/api/auth/login', { username: u.username, password: 'wrong password' });
      expect(bad.status).to.equal(401);
      expect(bad.body.error).to.equal('auth/invalid_credentials');
    });

    it('locks after 5 failures in the window (6th attempt → 429 with retry_after), then unlocks when it expires', async () => {
      const u = await signup(s.http);
      for (let i = 0; i < 5; i++) {
        expect((await s.http.post('/api/auth/login', { username: u.username, password: 'nope nope' })).status).to.equal(401);
      }
      const sixth = await s.http.post('/api/auth/login', { username: u.username, password: u.password });
      expect(sixth.status).to.equal(429);
      expect(sixth.body.error).to.equal('auth/locked');
      expect(sixth.body.retry_after).to.be.within(1, 2);
      expect(sixth.headers.get('retry-after')).to.equal(String(sixth.body.retry_after));

      await new Promise((r) => setTimeout(r, 2100));
      const after = await s.http.post('/api/auth/login', { username: u.username, password: u.password });
      expect(after.status).to.equal(200);
    });

    it('counts failures for unknown usernames too (no account enumeration by lockout)', async () => {
      const name = uniqueName('ghost');
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await s.http.post('/api/auth/login', { username: name, password: 'whatever1' })).status);
      expect(codes).to.deep.equal([401, 401, 401, 401, 401, 429]);
    });
  });

  describe('tokens', () => {
    it('rotates refresh tokens and revokes the whole family when a rotated token is reused', async () => {
      const u = await signup(s.http);
      const r1 = await s.http.post('/api/auth/refresh', { refresh_token: u.refresh });
      expect(r1.status).to.equal(200);
      expect(r1.body.refresh_token).to.not.equal(u.refresh);
      const r2 = await s.http.post('/api/auth/refresh', { refresh_token: r1.body.refresh_token });
      expect(r2.status).to.equal(200);

      const reuse = await s.http.post('/api/auth/refresh', { refresh_token: u.refresh });
      expect(reuse.status).to.equal(401);
      expect(reuse.body).to.include({ error: 'auth/invalid_refresh_token', reason: 'reuse' });

      // the newest token of the family and its access token are dead too
      const newest = await s.http.post('/api/auth/refresh', { refresh_token: r2.body.refresh_token });
      expect(newest.status).to.equal(401);
      expect((await s.http.get('/api/auth/me', { token: r2.body.access_token })).status).to.equal(401);
    });

    it('logout revokes the session: access and refresh tokens stop working, other sessions do not', async () => {
      const u = await signup(s.http);
      const other = await s.http.post('/api/auth/login', { username: u.username, password: u.password });
      expect((await s.http.post('/api/auth/logout', undefined, { token: u.access })).status).to.equal(204);
      expect((await s.http.get('/api/auth/me', { token: u.access })).status).to.equal(401);
      expect((await s.http.post('/api/auth/refresh', { refresh_token: u.refresh })).status).to.equal(401);
      expect((await s.http.get('/api/auth/me', { token: other.body.access_token })).status).to.equal(200);
    });

    it('GET /auth/me returns the user with balances', async () => {
      const u = await signup(s.http);
      const me = await s.http.get('/api/auth/me', { token: u.access });
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ id: u.userId, username: u.username, role: 'player', level: 1, xp: 0 });
      expect(me.body.balances).to.deep.equal({ GOLD: 1000, GEM: 0 });
    });

    it('refuses a token it has verified before once the token expires, and a copy with another signature at once', async () => {
      const u = await signup(s.http);
      const { TokenService } = await import('../../server/services/auth/token.service.ts');
      let now = Date.parse('2026-06-01T12:00:00Z');
      const tokens = new TokenService(
        s.config.JWT_SECRET,
        2,
        s.redis,
        s.config.REDIS_PREFIX,
        { now: () => new Date(now) },
        async () => false,
      );
      const principal = { userId: u.userId, username: u.username, role: 'player' as const, sessionId: randomUUID() };
      const { token } = await tokens.issueAccessToken(principal);
      expect(await tokens.verifyAccessToken(token)).to.deep.equal(principal);
      now += 1_999; // still in its last second
      expect(await tokens.verifyAccessToken(token)).to.deep.equal(principal);
      const [head, body, sig] = token.split('.');
      const forged = `${head}.${body}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
      const refused = (t: string) =>
        tokens.verifyAccessToken(t).then(
          () => 'accepted',
          (e: Error) => e.message,
        );
      expect(await refused(forged)).to.equal('The access token is invalid.');
      now += 1;
      expect(await refused(token)).to.equal('The access token has expired.');
    });

    /** A token signed with the server's real secret, issuer and audience, carrying `claims` as they are. */
    async function signed(claims: Record<string, unknown>) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('neon-club')
        .setAudience('neon-club')
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(new TextEncoder().encode(s.config.JWT_SECRET));
    }

    it('accepts a token signed with the real secret whose claims have the shape the server issues', async () => {
      const u = await signup(s.http);
      const [sid] = await s.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>('select id from auth_sessions where user_id = ?', [u.userId]);
      const token = await signed({ sub: u.userId, sid: sid.id, role: 'player', name: u.username });
      expect((await s.http.get('/api/auth/me', { token })).status).to.equal(200);
    });

    for (const [what, claims] of [
      ['a sub that is not a uuid', { sub: 'not-a-uuid', role: 'player', name: 'forged_1' }],
      ['a sid that is not a uuid', { sid: 'not-a-session', role: 'player', name: 'forged_2' }],
      ['no sid', { sid: undefined, role: 'player', name: 'forged_3' }],
      ['an unknown role', { role: 'superuser', name: 'forged_4' }],
      ['a name that is not a string', { role: 'player', name: 42 }],
    ] as const) {
      it(`answers 401 auth/unauthenticated to a validly signed token with ${what}, and refuses it for a room join`, async () => {
        const u = await signup(s.http);
        const token = await signed({ ...{ sub: u.userId, sid: randomUUID() }, ...claims });
        for (const path of ['/api/auth/me', '/api/wallet']) {
          const res = await s.http.get(path, { token });
          expect(res.status, path).to.equal(401);
          expect(res.body, path).to.include({ error: 'auth/unauthenticated', message: 'The access token is invalid.' });
        }
        const err = await joinAs(s.url, token, 'hub').then(
          (room) => {
            void room.leave();
            return null;
          },
          (e: Error) => e,
        );
        expect(err, 'the room join should be refused').to.not.equal(null);
        expect(String(err?.message)).to.match(/access token is invalid/);
      });
    }

    for (const [what, header] of [
      ['no token', undefined],
      ['a garbage token', 'Bearer not.a.jwt'],
      ['a token signed with another secret', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
    ] as const) {
      it(`answers 401 auth/unauthenticated with ${what}`, async () => {
        const res = await s.http.get('/api/wallet', { headers: header ? { authorization: header } : {} });
        expect(res.status).to.equal(401);
        expect(res.body.error).to.equal('auth/unauthenticated');
      });
    }
  });
});

describe('password hashing under a burst', function () {
  this.timeout(60_000);
  let s: TestServer;
  // real-cost hashes (tens of ms), one at a time, two may wait
  before(async () => {
    s = await startTestServer('auth-burst', {
      ARGON2_MEMORY_KIB: 19456,
      ARGON2_TIME_COST: 2,
      PASSWORD_HASH_CONCURRENCY: 1,
      PASSWORD_HASH_QUEUE: 2,
    });
  });
  after(async () => {
    await s?.stop();
  });

  it('answers the sign-ups beyond the queue 503 service/busy with Retry-After, creating nothing for them', async () => {
    const names = Array.from({ length: 24 }, (_, i) => uniqueName(`burst${i}`));
    const res = await Promise.all(names.map((username) => s.http.post('/api/auth/signup', { username, password: 'password123' })));
    const ok = res.filter((r) => r.status === 201);
    const busy = res.filter((r) => r.status === 503);
    expect(ok.length + busy.length).to.equal(names.length);
    expect(ok.length).to.be.at.least(3); // the one hashing and the two waiting
    expect(busy.length).to.be.at.least(1);
    for (const r of busy) {
      expect(r.body).to.include({ error: 'service/busy', retry_after: 1 });
      expect(r.headers.get('retry-after')).to.equal('1');
    }
    const refused = names.filter((_, i) => res[i].status === 503);
    const [rows] = await s.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>('select count(*)::int as n from users where username in (?)', [refused]);
    expect(rows.n).to.equal(0);
    // once the burst is over, a refused name signs up normally
    expect((await s.http.post('/api/auth/signup', { username: refused[0], password: 'password123' })).status).to.equal(201);
  });
});
