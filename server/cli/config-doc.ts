// `npm run config:doc`: prints the configuration table (the README's "Configuration" section is this output).
import { describeConfig } from '../config/load.ts';

const rows = describeConfig().map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${r.description} |`);
console.log(['| key | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n'));
