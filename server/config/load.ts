import { configSchema, DEV_SECRET_PLACEHOLDER, SECRET_KEYS, type Config } from './schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates the environment (the only place that reads `process.env`).
 * Reports every invalid key at once. `overrides` win over the environment (tests, CLIs).
 */
export function loadConfig(overrides: Record<string, string | number | boolean | undefined> = {}, env = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = key in overrides ? overrides[key] : env[key];
    if (value !== undefined && value !== '') raw[key] = typeof value === 'string' ? value : String(value);
  }
  const parsed = configSchema.safeParse(raw);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (parsed.success && parsed.data.NODE_ENV === 'production') {
    for (const key of SECRET_KEYS) {
      const v = parsed.data[key];
      if (v.includes(DEV_SECRET_PLACEHOLDER) || /^(.)\1+$/.test(v))
        problems.push(`${key}: a default or placeholder secret is refused in production`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return Object.freeze(parsed.data);
}

/** The config as a table of keys, types, defaults and descriptions (docs/configuration.md). */
export function describeConfig(): Array<{ key: string; type: string; default: string; description: string }> {
  return Object.entries(configSchema.shape).map(([key, schema]) => {
    const json = schema.toJSONSchema({ io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const def = json.default;
    const type = Array.isArray(json.enum) ? (json.enum as string[]).join(' \\| ') : String(json.type ?? 'string');
    return {
      key,
      type,
      default:
        def !== undefined
          ? def === ''
            ? '(empty)'
            : `\`${String(def)}\``
          : SECRET_KEYS.includes(key as never)
            ? '(secret; generated in dev)'
            : schema.safeParse(undefined).success
              ? '(unset)'
              : '(required)',
      description: schema.description ?? '',
    };
  });
}

/** docs/configuration.md: every key with its type, default and meaning (`npm run config:doc -- --write` writes it). */
export function configurationDoc(): string {
  const rows = describeConfig().map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${r.description} |`);
  return [
    '# Configuration',
    '',
    'Environment variables, read and validated only by `server/config/load.ts` (every invalid key is reported at once;',
    '`NODE_ENV=production` refuses missing or placeholder secrets). `npm start` and `npm test` provision PostgreSQL and Redis',
    'when `DATABASE_URL` / `REDIS_URL` are unset, and generate development secrets. This file is generated:',
    '`npm run config:doc -- --write` rewrites it from `server/config/schema.ts`, and `npm test` checks it is current.',
    '',
    '| key | type | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
