import { expect } from 'chai';
import { Client } from '@colyseus/sdk';
import { matchMaker } from '@colyseus/core';
import { hubChannel } from '../../domain/realtime/hub.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('hub room', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('hub', { ACCESS_TOKEN_TTL_SECONDS: 10 });
  });
  after(async () => {
    await s?.stop();
  });

  function client(token?: string) {
    const c = new Client(s.url);
    if (token) c.auth.token = token;
    return c;
  }

  it('lets a client with a valid access token join and greets it', async () => {
    const u = await signup(s.http);
    const room = await client(u.access).joinOrCreate('hub');
    try {
      const welcome = await new Promise<any>((resolve) => room.onMessage('welcome', resolve));
      expect(welcome).to.deep.equal({ user_id: u.userId, username: u.username });
    } finally {
      await room.leave();
    }
  });

  for (const [what, token] of [
    ['no token', undefined],
    ['a garbage token', 'garbage.token.value'],
  ] as const) {
    it(`rejects a join with ${what}`, async () => {
      const err = await client(token)
        .joinOrCreate('hub')
        .then(
          () => null,
          (e) => e,
        );
      expect(err, 'join should fail').to.not.equal(null);
      expect(String(err.message)).to.match(/token|auth/i);
    });
  }

  it('rejects a join with a revoked (logged-out) token', async () => {
    const u = await signup(s.http);
    await s.http.post('/api/auth/logout', undefined, { token: u.access });
    const err = await client(u.access)
      .joinOrCreate('hub')
      .then(
        () => null,
        (e) => e,
      );
    expect(String(err?.message)).to.match(/session has ended/);
  });

  it('rejects a join with an expired token', async () => {
    const u = await signup(s.http);
    // a token signed with the real key by a clock a minute in the past, valid for 1 s
    const { TokenService } = await import('../../server/services/auth/token.service.ts');
    const past = new TokenService(
      s.config.JWT_SECRET,
      1,
      s.redis,
      s.config.REDIS_PREFIX,
      { now: () => new Date(Date.now() - 60_000) },
      async () => false,
    );
    const old = await past.issueAccessToken({ userId: u.userId, username: u.username, role: 'player', sessionId: 'x' });
    const err = await client(old.token)
      .joinOrCreate('hub')
      .then(
        () => null,
        (e) => e,
      );
    expect(String(err?.message)).to.match(/expired/);
  });

  it('does not let clients create rooms directly or name unknown rooms', async () => {
    const u = await signup(s.http);
    const create = await s.http.post('/matchmake/create/hub', {}, { token: u.access });
    expect(create.status).to.be.greaterThanOrEqual(400);
    expect(create.text).to.match(/invalid method/);
    const unknown = await s.http.post('/matchmake/joinOrCreate/no_such_room', {}, { token: u.access });
    expect(unknown.status).to.be.greaterThanOrEqual(400);
  });

  it('pushes a message published on a user channel to that user only', async () => {
    const a = await signup(s.http);
    const b = await signup(s.http);
    const ra = await client(a.access).joinOrCreate('hub');
    const rb = await client(b.access).joinOrCreate('hub');
    try {
      // the join completes after onJoin, so both users' channels are subscribed by now
      const gotB: unknown[] = [];
      rb.onMessage('notification', (m) => gotB.push(m));
      const received = new Promise<any>((resolve) => ra.onMessage('notification', resolve));
      await matchMaker.presence.publish(hubChannel(a.userId), { type: 'notification', payload: { text: 'hello A' } });
      expect(await received).to.deep.equal({ text: 'hello A' });
      await new Promise((r) => setTimeout(r, 100));
      expect(gotB).to.deep.equal([]);
    } finally {
      await Promise.all([ra.leave(), rb.leave()]);
    }
  });
});
