// Debugging aid for fault tests (not loaded by default): preloaded into a server process (NODE_OPTIONS=--import
// <this file>, e.g. FAULT_DEBUG_PRELOAD=test/helpers/ioredis-timeout-origin.mjs with test/faults/redis.test.ts), it
// makes ioredis' "Command timed out" errors name the command and carry the stack of the call that sent it, so an
// unhandled one (logged as "unhandled rejection" before the process exits) shows where it came from.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Command } = require('ioredis');
Command.prototype.setTimeout = function (ms) {
  const origin = new Error(`origin of ${this.name}`).stack;
  if (!this._commandTimeoutTimer) {
    this._commandTimeoutTimer = setTimeout(() => {
      if (!this.isResolved) {
        const e = new Error(`Command timed out: ${this.name} ${JSON.stringify(this.args?.slice?.(0, 2) ?? [])}`);
        e.stack = `${e.message}\n${origin}`;
        this.reject(e);
      }
    }, ms);
  }
};
