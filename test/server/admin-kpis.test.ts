import { expect } from 'chai';
import { credit } from '../../domain/economy/currency.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('admin: KPIs', function () {
  this.timeout(90_000);
  let s: TestServer;
  let viewer: TestOperator;

  before(async () => {
    s = await startTestServer('admin_kpis');
    viewer = await createOperator(s, 'viewer');
  });
  after(async () => {
    await s?.stop();
  });

  it('sums the played rounds exactly: rounds, wagered, paid, GGR and realized RTP per game, with the theoretical band', async () => {
    const u = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GOLD', amount: 100_000, reason: 'admin_adjust', actor: 'test' })]);
    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'kpi-room');
    let rounds = 0;
    let wagered = 0;
    let paid = 0;
    for (let i = 0; i < 30; i++) {
      const spin = await s.services.slot.spin({ userId: u.userId, sessionId, machine: SLOT_V1, betPerLine: SLOT_V1.betLevels[0] });
      rounds += 1 + spin.freeSpins.length;
      wagered += spin.round.bet;
      paid += spin.totalPayout;
    }

    const res = await s.http.get('/api/admin/kpis/summary', { token: viewer.access });
    expect(res.status).to.equal(200);
    const slot = res.body.games.find((g: { game: string }) => g.game === 'slot');
    expect(slot).to.include({ rounds, wagered, paid, ggr: wagered - paid });
    expect(slot.realized_rtp).to.be.closeTo(paid / wagered, 1e-6);
    expect(slot.theoretical_rtp).to.be.within(0.9, 1);
    expect(slot.band.low).to.be.below(slot.theoretical_rtp);
    expect(slot.band.high).to.be.above(slot.theoretical_rtp);
    expect(slot.rtp_status).to.be.oneOf(['inside', 'outside']);
    expect(res.body.games.find((g: { game: string }) => g.game === 'gacha')).to.include({ rounds: 0, rtp_status: 'n/a' });
    expect(res.body.rounds_last_minute).to.equal(rounds);
    expect(res.body.signups_today).to.equal(1); // the operator is no player
    expect(res.body.active_players_today).to.equal(1);
    expect(res.body.premium_revenue).to.deep.equal({ today: 0, total: 0, currency: 'USD' });
    expect(res.body.outbox).to.have.keys(['pending', 'oldest_pending_ms', 'last_publish_lag_ms']);

    const series = await s.http.get('/api/admin/kpis/series?metric=wagered&range=1h&game=slot', { token: viewer.access });
    expect(series.status).to.equal(200);
    expect(series.body.bucket_seconds).to.equal(60);
    expect(series.body.points.reduce((sum: number, p: { value: number }) => sum + p.value, 0)).to.equal(wagered);
    const count = await s.http.get('/api/admin/kpis/series?metric=rounds&range=24h', { token: viewer.access });
    expect(count.body.points.reduce((sum: number, p: { value: number }) => sum + p.value, 0)).to.equal(rounds);
    expect((await s.http.get('/api/admin/kpis/series?metric=nope', { token: viewer.access })).status).to.equal(400);
  });

  it('counts online players and rooms from the matchmaker', async () => {
    const u = await signup(s.http);
    const { joinAs } = await import('../helpers/room-client.ts');
    const hub = await joinAs(s.url, u.access, 'hub');
    const res = await s.http.get('/api/admin/kpis/summary', { token: viewer.access });
    expect(res.body.online_players).to.be.at.least(1);
    expect(res.body.rooms).to.be.at.least(1);
    await hub.leave();
  });

  it('streams the summary as Server-Sent Events, with a bearer token or the admin session cookie', async () => {
    const read = async (path: string, headers: Record<string, string>) => {
      const ctl = new AbortController();
      const res = await fetch(s.url + path, { headers, signal: ctl.signal });
      if (res.status !== 200) return { status: res.status, text: await res.text() };
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      ctl.abort();
      return { status: res.status, text };
    };
    const bearer = await read('/api/admin/kpis/stream', { authorization: `Bearer ${viewer.access}` });
    expect(bearer.status).to.equal(200);
    expect(bearer.text).to.match(/^event: kpis\ndata: \{/);
    const cookie = await read('/admin/kpis/stream', { cookie: `neon_admin_session=${viewer.access}` });
    expect(cookie.status).to.equal(200);
    expect(JSON.parse(cookie.text.split('data: ')[1]).games).to.have.length(4);
    expect((await read('/admin/kpis/stream', {})).status).to.equal(401);
  });
});
