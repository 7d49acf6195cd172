// Config for the MikroORM CLI (`npm run migration:create`); the app itself calls ormOptions() directly.
import { loadConfig } from '../config/load.ts';
import { ormOptions } from './orm.config.ts';

export default ormOptions(loadConfig().DATABASE_URL, 4, { writeSnapshot: true });
