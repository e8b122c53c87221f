// The CLI bundle's entry point (dist/cli.js). `--version` alone is answered before anything else is loaded;
// every other command loads the CLI (main.ts) on demand, so that the catalogue, the families and the language
// server are initialised only by the runs that use them. (esbuild keeps a dynamically imported module of the
// bundle uninitialised until the import runs.)
import { VERSION } from './version';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) process.stdout.write(`${VERSION}\n`);
else void import('./main');
