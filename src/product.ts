// The product's engine: the core built with every family (src/families/index.ts). The CLI, the editor and
// the tests all use this one instance. The families are required when a lint (or the catalogue) first needs
// them, not when this module loads: activating the editor, `--help` or a file whose name is never a
// configuration's costs none of their start-up (issue 16).
import { createLinter } from './core/engine';
import type * as Families from './families';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const engine = createLinter(() => (require('./families') as typeof Families).families);
