// `npm run pay:simulate -- --receipt CODE --status success|failed [--url URL] [--event-id ID] [--times N]`:
// a local stand-in for the payment provider. Sends correctly signed webhooks (HMAC-SHA256 over timestamp:nonce:body
// with PAYMENT_WEBHOOK_SECRET) to POST /api/shop/webhook/payment and prints each answer. `--times 2` resends the same
// event id (a provider retry), which must not grant twice.
import { randomUUID } from 'node:crypto';
import { loadConfigOrExit } from '../lib/entry-point.ts';
import { signedHeaders } from '../lib/webhook-signature.ts';
import { parseArgs } from './cli-context.ts';

const args = parseArgs();
const receipt = typeof args.receipt === 'string' ? args.receipt : '';
const status = args.status;
if (!receipt || (status !== 'success' && status !== 'failed')) {
  console.error('usage: npm run pay:simulate -- --receipt CODE --status success|failed [--url URL] [--event-id ID] [--times N]');
  process.exit(2);
}
const config = loadConfigOrExit();
const url = typeof args.url === 'string' ? args.url : `http://127.0.0.1:${config.PORT}`;
const eventId = typeof args['event-id'] === 'string' ? args['event-id'] : `evt_${randomUUID()}`;
const times = Math.max(1, Number(args.times ?? 1));
let failed = false;
for (let i = 0; i < times; i++) {
  const body = JSON.stringify({ event_id: eventId, receipt_code: receipt, status });
  const res = await fetch(`${url}/api/shop/webhook/payment`, {
    method: 'POST',
    headers: signedHeaders(config.PAYMENT_WEBHOOK_SECRET, body),
    body,
  });
  const text = await res.text();
  console.log(`${res.status} ${text}`);
  if (res.status >= 400) failed = true;
}
process.exit(failed ? 1 : 0);
