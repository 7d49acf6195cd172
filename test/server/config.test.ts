import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigError, configurationDoc, describeConfig, loadConfig } from '../../server/config/load.ts';
import { configSchema } from '../../server/config/schema.ts';

const base = {
  DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'a-real-looking-secret-of-more-than-32-chars',
  PAYMENT_WEBHOOK_SECRET: 'another-real-looking-secret',
};

describe('config', () => {
  it('applies documented defaults and coerces types', () => {
    const c = loadConfig(base, {});
    expect(c.PORT).to.equal(2567);
    expect(c.NODE_ENV).to.equal('development');
    expect(c.CORS_ORIGINS).to.deep.equal([]);
    expect(c.TRUST_PROXY).to.equal(false);
    expect(Object.isFrozen(c)).to.equal(true);
    expect(loadConfig({ ...base, PORT: '8080', CORS_ORIGINS: 'https://a.example, https://b.example' }, {}))
      .to.include({ PORT: 8080 })
      .and.have.deep.property('CORS_ORIGINS', ['https://a.example', 'https://b.example']);
  });

  it('reads the environment when no override is given', () => {
    expect(loadConfig({}, { ...base, PORT: '3000' }).PORT).to.equal(3000);
  });

  it('reports every invalid key at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'chatty', JWT_SECRET: 'short' }, { DATABASE_URL: 'not a url' });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    const keys = (err as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys).to.include.members(['PORT', 'LOG_LEVEL', 'JWT_SECRET', 'DATABASE_URL', 'REDIS_URL', 'PAYMENT_WEBHOOK_SECRET']);
  });

  it('refuses missing secrets and placeholder secrets in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: undefined }, {})).to.throw(ConfigError, /JWT_SECRET/);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'change-me-change-me-change-me-change-me' }, {})).to.throw(
      ConfigError,
      /JWT_SECRET: a default or placeholder secret is refused/,
    );
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x'.repeat(40) }, {})).to.throw(
      ConfigError,
      /PAYMENT_WEBHOOK_SECRET/,
    );
    expect(loadConfig({ ...base, NODE_ENV: 'production' }, {}).NODE_ENV).to.equal('production');
  });

  it('documents every key with a description, and docs/configuration.md is the generated table', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const rows = describeConfig();
    expect(rows.map((r) => r.key)).to.deep.equal(Object.keys(configSchema.shape));
    for (const r of rows) expect(r.description, r.key).to.not.equal('');
    expect(doc, 'docs/configuration.md is stale: run npm run config:doc -- --write').to.equal(configurationDoc());
  });

  it('docs/metrics.md describes every metric the server exports', () => {
    const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    // the metrics are declared in these two modules (the second: those read when Prometheus scrapes)
    const source = ['metrics.ts', 'scrape-gauges.ts']
      .map((f) => readFileSync(new URL(`../../server/lib/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    const names = [...source.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]);
    expect(names.length).to.be.greaterThan(20);
    expect(names.filter((n) => !doc.includes(`\`${n}`))).to.deep.equal([]);
  });
});
