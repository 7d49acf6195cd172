// Specs are passed on the command line (scripts/test.sh), so `mocha test/x.test.ts` runs only that file.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/setup.ts'],
  timeout: 20000,
  slow: 2000,
  exit: true,
  reporter: './test/summary-reporter.cjs',
};
