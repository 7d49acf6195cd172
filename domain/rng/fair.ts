import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Provable fairness primitives (DESIGN §4a). Pure and deterministic, so the server, the API verifier and
 * the browser all run the same code. Hashes and HMACs are taken over the UTF-8 bytes of the hex strings.
 */

/** SHA-256 of a string's UTF-8 bytes, lowercase hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** HMAC-SHA256(key, message) over UTF-8 bytes, lowercase hex. */
export function hmacSha256Hex(key: string, message: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(message)));
}

/** The public commitment to a server seed: SHA-256(server seed). */
export function seedCommitment(serverSeed: string): string {
  return sha256Hex(serverSeed);
}

/** What a per-player round is drawn from. */
export interface FairInput {
  serverSeed: string;
  clientSeed: string;
  /** increases by one per round; reset to 0 by a seed rotation */
  nonce: number;
}

/**
 * The k-th HMAC block of a round: HMAC-SHA256(server seed, `clientSeed:nonce:k`). Each block gives 8 floats.
 */
function block(input: FairInput, k: number): Uint8Array {
  return hmac(sha256, utf8ToBytes(input.serverSeed), utf8ToBytes(`${input.clientSeed}:${input.nonce}:${k}`));
}

/** The first `count` floats of a round, each in [0, 1): f = b0/256 + b1/256² + b2/256³ + b3/256⁴. */
export function roundFloats(input: FairInput, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; out.length < count; k++) {
    const b = block(input, k);
    for (let i = 0; i < 32 && out.length < count; i += 4) {
      out.push(b[i] / 256 + b[i + 1] / 256 ** 2 + b[i + 2] / 256 ** 3 + b[i + 3] / 256 ** 4);
    }
  }
  return out;
}

/** A cursor over a round's floats, for rules that do not know in advance how many they need. */
export class FloatStream {
  private buffer: number[] = [];
  private consumed = 0;

  constructor(private readonly input: FairInput) {}

  /** The next float in [0, 1). */
  next(): number {
    if (this.consumed >= this.buffer.length) this.buffer = roundFloats(this.input, this.buffer.length + 8);
    return this.buffer[this.consumed++];
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** How many floats were drawn (stored with a round so a verifier knows how far to read). */
  get count(): number {
    return this.consumed;
  }
}

/** Crash chain (DESIGN §4a): h_i = SHA-256(h_{i-1}) as hex strings. */
export function nextChainHash(hash: string): string {
  return sha256Hex(hash);
}

/**
 * The crash point of a round hash: H = HMAC-SHA256(round hash, salt); r = first 13 hex digits (52 bits);
 * X = r / 2^52; X = 99 / (1 − X); crash = max(1.00, floor(X) / 100). Returned in hundredths (integer ≥ 100).
 */
export function crashPointHundredths(roundHash: string, salt: string): number {
  const h = hmacSha256Hex(roundHash, salt);
  const r = parseInt(h.slice(0, 13), 16);
  const x = 99 / (1 - r / 2 ** 52);
  return Math.max(100, Math.floor(x));
}
