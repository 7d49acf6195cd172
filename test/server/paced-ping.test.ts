// The WebSocket transport's keep-alive: each connection is pinged once per interval, the pings of many connections are
// spread over the interval instead of sent in one burst, and a connection that stops answering is closed. The clients
// are raw TCP sockets speaking just enough of RFC 6455 to see each ping and to answer it (or not).
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PacedPingTransport } from '../../server/infra/paced-ping-transport.ts';

const PING = 0x89;
const CLOSE = 0x88;

interface RawClient {
  pings: number[];
  /** when the server sent a close frame (the transport's own 1 s close of a connection with no room) */
  closeFrameAt?: number;
  /** when the TCP connection ended */
  endedAt?: number;
  socket: Socket;
}

/** Opens a WebSocket by hand; `pong` false leaves every ping unanswered. */
function rawClient(port: number, pong: boolean, t0: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const c: RawClient = { pings: [], socket: connect(port, '127.0.0.1') };
    let upgraded = false;
    let buf = Buffer.alloc(0);
    c.socket.on('error', reject);
    c.socket.on('close', () => (c.endedAt = performance.now() - t0));
    c.socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buf.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(buf.toString()));
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve(c);
      }
      // server frames are unmasked and short here: [opcode byte, payload length, payload]
      while (buf.length >= 2 && buf.length >= 2 + (buf[1] & 0x7f)) {
        const [op, len] = [buf[0], buf[1] & 0x7f];
        if (op === PING) {
          c.pings.push(performance.now() - t0);
          // a masked, empty pong
          if (pong) c.socket.write(Buffer.concat([Buffer.from([0x8a, 0x80]), randomBytes(4)]));
        } else if (op === CLOSE) c.closeFrameAt ??= performance.now() - t0;
        buf = buf.subarray(2 + len);
      }
    });
    c.socket.write(
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

describe('WebSocket keep-alive pings', () => {
  it('pings each connection once per interval, spread over it, and closes one that stops answering', async () => {
    const interval = 200;
    const transport = new PacedPingTransport({ pingInterval: interval, pingMaxRetries: 2 });
    await new Promise<void>((resolve) => transport.listen(0, '127.0.0.1', undefined, () => resolve()));
    const port = (transport.server!.address() as AddressInfo).port;
    try {
      const t0 = performance.now();
      const live = await Promise.all(Array.from({ length: 60 }, () => rawClient(port, true, t0)));
      const silent = await rawClient(port, false, t0);
      await sleep(950);

      const all = live.flatMap((c) => c.pings);
      for (const c of live) {
        expect(c.pings.length, 'pings per live connection in ~5 intervals').to.be.within(3, 6);
        for (let i = 1; i < c.pings.length; i++) expect(c.pings[i] - c.pings[i - 1]).to.be.greaterThan(interval * 0.6);
      }
      // the stock transport sends every ping of a round in one callback: one or two 10 ms slots
      const slots = new Set(all.filter((t) => t < interval).map((t) => Math.floor(t / 10)));
      expect(slots.size, 'distinct 10 ms slots with a ping in the first interval').to.be.at.least(10);

      // two pings unanswered: the third round (by ~600 ms) ends the connection, before the transport's own 1 s close
      expect(silent.pings.length).to.be.at.least(2);
      await sleep(200);
      expect(silent.endedAt, 'the silent connection was closed').to.be.a('number');
      expect(silent.closeFrameAt, 'terminated, not closed politely').to.equal(undefined);
      expect(live.every((c) => c.closeFrameAt! >= 950 || c.closeFrameAt === undefined)).to.equal(true);
      expect(live.filter((c) => c.endedAt !== undefined && c.closeFrameAt === undefined)).to.have.length(0);
    } finally {
      transport.shutdown();
    }
  });
});
