/** Entry of the simulator bundle (dist/simulate.mjs): `foyer simulate <device> …`. */
import { runSimulateCli } from './cli';

process.exitCode = await runSimulateCli(process.argv.slice(2));
