import { expect } from 'chai';
import { Client, type Room } from '@colyseus/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { decideDuel, housePick, type RpsPick } from '../../domain/games/rps/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';

describe('rock-paper-scissors room', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('rpsroom', { RPS_HOUSE_AFTER_MS: 400, RPS_PICK_TIMEOUT_MS: 1500 });
  });
  after(async () => {
    await s?.stop();
  });
  const gold = async (userId: string) => (await s.services.wallet.balances(em(), userId)).GOLD;
  let stakeSeq = 100;

  it('duels two players: stakes escrowed, picks hidden until both are in, 2 % rake on the pot', async () => {
    const stake = ++stakeSeq; // a stake no other test uses, so the two land in the same duel
    const a = await signup(s.http);
    const b = await signup(s.http);
    const ra = await joinAs(s.url, a.access, 'rps', { stake });
    const ia = new Inbox(ra);
    await ia.next('seat');
    const rb = await joinAs(s.url, b.access, 'rps', { stake });
    const ib = new Inbox(rb);
    try {
      expect(rb.roomId).to.equal(ra.roomId);
      expect(await gold(a.userId)).to.equal(1000 - stake);
      await eventually(
        () => (ra.state as any).phase,
        (p) => p === 'picking',
      );
      ra.send('pick', { pick: 'rock' });
      await ia.next('pick_accepted');
      // b sees that a picked, but not what
      const seenByB = await eventually(
        () => (rb.state as any).seats.get('a'),
        (seat) => seat?.hasPicked === true,
      );
      expect(seenByB.pick ?? '', 'the opponent cannot see the pick').to.equal('');
      expect((ra.state as any).seats.get('a').pick).to.equal('rock');
      rb.send('pick', { pick: 'scissors' });
      const result = await ib.next('result');
      expect(result.result).to.equal(decideDuel('rock', 'scissors'));
      expect(result.picks).to.deep.equal({ a: 'rock', b: 'scissors' });
      const pot = 2 * stake;
      const rake = Math.floor((pot * 200) / 10000);
      expect(result.rake).to.equal(rake);
      expect(await gold(a.userId)).to.equal(1000 - stake + pot - rake);
      expect(await gold(b.userId)).to.equal(1000 - stake);
      expect(
        (
          await eventually(
            () => (rb.state as any).seats.get('a'),
            (seat) => seat?.revealed === 'rock',
          )
        ).revealed,
      ).to.equal('rock');
    } finally {
      await Promise.all([ra.leave(), rb.leave()]);
    }
  });

  it('lets the house play when no opponent comes, with a pick that re-verifies from the revealed seed', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'rps', { stake: ++stakeSeq });
    const inbox = new Inbox(room);
    try {
      await eventually(
        () => (room.state as any).phase,
        (p) => p === 'picking',
      );
      expect((room.state as any).seats.get('b').isHouse).to.equal(true);
      room.send('pick', { pick: 'paper' });
      const result = await inbox.next('result');
      const housesPick = result.picks.b as RpsPick;
      const rotated = await s.http.post('/api/fairness/rotate', undefined, { token: u.access });
      const [round] = await em().execute<{ id: string }[]>(`select id from game_rounds where user_id = ? and game = 'rps'`, [u.userId]);
      const rec = (await s.http.get(`/api/fairness/rounds/${round.id}`)).body;
      expect(rec.seed.server_seed).to.equal(rotated.body.previous.server_seed);
      const [f] = roundFloats({ serverSeed: rec.seed.server_seed, clientSeed: rec.seed.client_seed, nonce: rec.seed.nonce }, 1);
      expect(housePick(f)).to.equal(housesPick);
      expect(rec.verification).to.include({ verifiable: true, matches: true });
      const stake = stakeSeq;
      const expected =
        result.result === 'draw' ? 1000 : result.result === 'a' ? 1000 - stake + 2 * stake - Math.floor((4 * stake) / 100) : 1000 - stake;
      expect(await gold(u.userId)).to.equal(expected);
    } finally {
      await room.leave();
    }
  });

  it('keeps the seat for a matched opponent still connecting when the house is due, instead of refusing them', async () => {
    const stake = ++stakeSeq;
    const a = await signup(s.http);
    const b = await signup(s.http);
    const ra = await joinAs(s.url, a.access, 'rps', { stake });
    await new Inbox(ra).next('seat');
    // b is matched to a's duel (a seat reserved over HTTP) but connects only after the house was due (400 ms)
    const res = await fetch(`${s.url}/matchmake/joinOrCreate/rps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${b.access}` },
      body: JSON.stringify({ stake }),
    });
    const reservation = await res.json();
    expect(reservation.roomId).to.equal(ra.roomId);
    await new Promise((r) => setTimeout(r, 1200));
    expect((ra.state as any).phase, 'no house while an opponent holds a reservation').to.equal('waiting');
    const client = new Client(s.url);
    client.auth.token = b.access;
    const rb = await client.consumeSeatReservation(reservation);
    try {
      expect(await new Inbox(rb).next('seat')).to.include({ seat: 'b' });
      const b2 = await eventually(
        () => (ra.state as any).seats.get('b'),
        (seat) => !!seat,
      );
      expect(b2.isHouse).to.equal(false);
      expect(await gold(b.userId)).to.equal(1000 - stake);
    } finally {
      await Promise.all([ra.leave(), rb.leave()]);
    }
  });

  it('pairs players who ask for seats at once (POST /api/games/rps/seat) into full duels, each seat reserved once', async () => {
    const stake = ++stakeSeq;
    const players = await Promise.all(Array.from({ length: 12 }, () => signup(s.http)));
    const seatOf = async (access: string) => {
      const res = await s.http.post('/api/games/rps/seat', { stake }, { token: access });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body;
    };
    const seats = await Promise.all(players.map((p) => seatOf(p.access)));
    const byRoom = new Map<string, number>();
    for (const r of seats) byRoom.set(r.roomId, (byRoom.get(r.roomId) ?? 0) + 1);
    expect([...byRoom.values()], 'six duels of two').to.deep.equal([2, 2, 2, 2, 2, 2]);
    const rooms = await Promise.all(
      seats.map((seat, i) => {
        const client = new Client(s.url);
        client.auth.token = players[i].access;
        return client.consumeSeatReservation(seat);
      }),
    );
    try {
      for (const r of rooms)
        await eventually(
          () => (r.state as any).phase,
          (p) => p === 'picking',
        );
      for (const r of rooms) expect([...(r.state as any).seats.values()].some((x: any) => x.isHouse)).to.equal(false);
      for (const p of players) expect(await gold(p.userId)).to.equal(1000 - stake);
    } finally {
      await Promise.all(rooms.map((r) => r.leave()));
    }
    // bad input is refused with the one error shape, and nothing is reserved
    const bad = await s.http.post('/api/games/rps/seat', { stake: 10 ** 9 }, { token: players[0].access });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('request/invalid');
    expect((await s.http.post('/api/games/rps/seat', { stake })).status).to.equal(401);
  });

  it('gives a second tab of a waiting player a duel of its own, and the waiting duel to the next player', async () => {
    const stake = ++stakeSeq;
    const [a, b] = await Promise.all([signup(s.http), signup(s.http)]);
    const seat = async (access: string) => (await s.http.post('/api/games/rps/seat', { stake }, { token: access })).body;
    const first = await seat(a.access);
    const secondTab = await seat(a.access);
    const other = await seat(b.access);
    expect(secondTab.roomId, 'not its own duel').to.not.equal(first.roomId);
    expect(other.roomId, 'the oldest waiting duel').to.equal(first.roomId);
  });

  it('forfeits a seat that does not pick in time', async () => {
    const stake = ++stakeSeq;
    const a = await signup(s.http);
    const b = await signup(s.http);
    const ra = await joinAs(s.url, a.access, 'rps', { stake });
    await new Inbox(ra).next('seat');
    const rb = await joinAs(s.url, b.access, 'rps', { stake });
    const ib = new Inbox(rb);
    try {
      await eventually(
        () => (ra.state as any).phase,
        (p) => p === 'picking',
      );
      ra.send('pick', { pick: 'scissors' });
      const result = await ib.next('result', () => true, 5000);
      expect(result).to.deep.include({ result: 'a' });
      expect(result.picks).to.deep.equal({ a: 'scissors', b: null });
    } finally {
      await Promise.all([ra.leave(), rb.leave()]);
    }
  });

  it('refuses a stake out of limits or unaffordable at join, changing nothing', async () => {
    const u = await signup(s.http);
    for (const stake of [0, -3, 1.5, 10_000_000]) {
      const err = await joinAs(s.url, u.access, 'rps', { stake }).then(
        (r: Room) => r.leave().then(() => null),
        (e) => e,
      );
      expect(err, `stake ${stake}`).to.not.equal(null);
    }
    const poor = await joinAs(s.url, u.access, 'rps', { stake: 5000 }).then(
      (r: Room) => r.leave().then(() => null),
      (e) => e,
    );
    expect(String(poor?.message)).to.match(/Not enough GOLD/);
    expect(await gold(u.userId)).to.equal(1000);
    const open = await em().execute(`select count(*)::int as n from game_sessions where user_id = ? and status = 'open'`, [u.userId]);
    expect(open[0].n).to.equal(0);
  });

  it('refunds the stake when the only player leaves before the duel starts', async () => {
    const u = await signup(s.http);
    // a long house wait so the player leaves while still waiting
    const room = await joinAs(s.url, u.access, 'rps', { stake: ++stakeSeq });
    await room.leave();
    await eventually(
      () => gold(u.userId),
      (g) => g === 1000,
      3000,
    );
    expect(await gold(u.userId)).to.equal(1000);
  });
});
