// Mocha's spec reporter plus, at the end, the ten slowest test files (hooks included, so a file's server start-up counts)
// and one plain closing line, "N passed, N failed, N skipped", that CI reads.
const Mocha = require('mocha');
const path = require('node:path');

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    /** wall time per test file, summed over its top-level suites */
    const files = new Map();
    const started = new Map();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && suite.parent?.root) started.set(suite, performance.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const t0 = started.get(suite);
      if (t0 === undefined) return;
      const file = path.relative(process.cwd(), suite.file);
      files.set(file, (files.get(file) ?? 0) + performance.now() - t0);
    });
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      const slowest = [...files].sort((a, b) => b[1] - a[1]).slice(0, 10);
      if (files.size > 1) {
        process.stdout.write('\nslowest test files:\n');
        for (const [file, ms] of slowest) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}\n`);
      }
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = SummaryReporter;
