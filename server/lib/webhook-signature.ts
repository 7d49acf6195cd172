import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The payment provider's signature: hex HMAC-SHA256(secret, `timestamp:nonce:body`). */
export function signWebhook(secret: string, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}:${nonce}:${body}`).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Headers for a signed webhook call (what the provider, or our simulator, sends). */
export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const nonce = randomBytes(12).toString('hex');
  return {
    'content-type': 'application/json',
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signWebhook(secret, timestamp, nonce, body),
  };
}
