import { expect } from 'chai';
import { createHash, createHmac } from 'node:crypto';
import {
  crashPointHundredths,
  FloatStream,
  hmacSha256Hex,
  nextChainHash,
  roundFloats,
  seedCommitment,
  sha256Hex,
} from '../../../domain/rng/fair.ts';

// Reference implementation with node:crypto, written from DESIGN §4a independently of domain/rng.
function refFloats(serverSeed: string, clientSeed: string, nonce: number, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; out.length < count; k++) {
    const b = createHmac('sha256', Buffer.from(serverSeed, 'utf8')).update(`${clientSeed}:${nonce}:${k}`, 'utf8').digest();
    for (let i = 0; i < 32 && out.length < count; i += 4) out.push(b.readUInt32BE(i) / 2 ** 32);
  }
  return out;
}

const SEED = 'a3f1c2e4b5d60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('domain/rng fair', () => {
  it('hashes and HMACs UTF-8 strings like node:crypto (golden vectors)', () => {
    expect(sha256Hex('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hmacSha256Hex('key', 'The quick brown fox jumps over the lazy dog')).to.equal(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
    expect(seedCommitment(SEED)).to.equal(createHash('sha256').update(SEED).digest('hex'));
  });

  it('draws the same floats as the reference, across block boundaries', () => {
    const ours = roundFloats({ serverSeed: SEED, clientSeed: 'lucky', nonce: 7 }, 20);
    expect(ours).to.deep.equal(refFloats(SEED, 'lucky', 7, 20));
    for (const f of ours) expect(f).to.be.at.least(0).and.below(1);
  });

  it('pins the first floats of a fixed input (golden vector)', () => {
    const f = roundFloats({ serverSeed: SEED, clientSeed: 'lucky', nonce: 0 }, 3);
    expect(f).to.deep.equal([0.060634194407612085, 0.9448212590068579, 0.7079017569776624]);
    expect(crashPointHundredths(nextChainHash(SEED), 'salt')).to.equal(142);
  });

  it('FloatStream yields the round floats in order and counts them', () => {
    const s = new FloatStream({ serverSeed: SEED, clientSeed: 'c', nonce: 3 });
    const drawn = Array.from({ length: 11 }, () => s.next());
    expect(drawn).to.deep.equal(refFloats(SEED, 'c', 3, 11));
    expect(s.count).to.equal(11);
  });

  it('chains hashes with SHA-256 of the hex string', () => {
    expect(nextChainHash(SEED)).to.equal(createHash('sha256').update(SEED, 'utf8').digest('hex'));
  });

  it('derives crash points with a 1% edge: 1.00x about 1 in 101, P(crash >= m) close to 0.99/m', () => {
    let h = SEED;
    const n = 20000;
    let atOne = 0;
    let atLeast2 = 0;
    let atLeast10 = 0;
    for (let i = 0; i < n; i++) {
      h = nextChainHash(h);
      const c = crashPointHundredths(h, 'salt');
      expect(Number.isInteger(c) && c >= 100).to.equal(true);
      if (c === 100) atOne++;
      if (c >= 200) atLeast2++;
      if (c >= 1000) atLeast10++;
    }
    // binomial standard errors at n=20000: ~0.001, ~0.0035, ~0.002 → 5-sigma bounds
    expect(atOne / n).to.be.closeTo(2 / 101, 0.005);
    expect(atLeast2 / n).to.be.closeTo(0.99 / 2, 0.018);
    expect(atLeast10 / n).to.be.closeTo(0.099, 0.011);
  });

  it('computes a crash point exactly as the published formula', () => {
    const roundHash = nextChainHash(SEED);
    const hm = createHmac('sha256', Buffer.from(roundHash, 'utf8')).update('salt').digest('hex');
    const x = parseInt(hm.slice(0, 13), 16) / 2 ** 52;
    expect(crashPointHundredths(roundHash, 'salt')).to.equal(Math.max(100, Math.floor(99 / (1 - x))));
  });
});
