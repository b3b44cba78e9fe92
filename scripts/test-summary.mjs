// Prints the test run's closing line in the plain form CI reads ("N passed, N failed, N skipped")
// from the JSON report vitest writes (see vitest.config.ts). Exits 1 if the report is missing or
// counts no test at all, so a run that silently tested nothing is never green.
import { readFileSync } from 'node:fs';

let report;
try {
  report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
} catch (e) {
  console.error(`No test report at test-results/vitest.json: ${e.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0 || failed > 0) process.exit(1);
