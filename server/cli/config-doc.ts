// `npm run config:doc`: prints docs/configuration.md (every configuration key); `-- --write` rewrites that file.
import { writeFileSync } from 'node:fs';
import { configurationDoc } from '../config/load.ts';

const doc = configurationDoc();
if (process.argv.includes('--write')) writeFileSync(new URL('../../docs/configuration.md', import.meta.url), doc);
else process.stdout.write(doc);
