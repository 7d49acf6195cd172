import { WebSocketTransport } from '@colyseus/ws-transport';
import type WebSocket from 'ws';

/** How many slices each ping round is cut into. */
const SLICES = 30;

type Socket = WebSocket & { pingCount: number; pingSlice?: number };

/**
 * Colyseus's WebSocket transport with its keep-alive pings spread over the ping interval. The stock transport pings
 * every connection in one timer callback every 3 s: with 2,000 players that is 2,000 socket writes in one turn of the
 * event loop (and 2,000 pongs right after), a stall every spin in flight waits behind. Here each 100 ms pings a
 * thirtieth of the connections; every connection is still pinged once per interval and closed after `pingMaxRetries`
 * pings without a pong, as before.
 */
export class PacedPingTransport extends WebSocketTransport {
  protected override autoTerminateUnresponsiveClients(pingInterval: number, pingMaxRetries: number): void {
    let slice = 0;
    let seen = 0;
    this.pingInterval = setInterval(
      () => {
        for (const client of this.wss.clients as Set<Socket>) {
          // a connection keeps the slice it gets when first seen, so it is pinged once per interval
          client.pingSlice ??= seen++ % SLICES;
          if (client.pingSlice !== slice) continue;
          if (client.pingCount >= pingMaxRetries) {
            client.terminate();
            continue;
          }
          client.pingCount++;
          client.ping();
        }
        slice = (slice + 1) % SLICES;
      },
      Math.max(1, Math.round(pingInterval / SLICES)),
    );
  }
}
