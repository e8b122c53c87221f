// The product's engine: the core built with every family (src/families/index.ts). The CLI, the editor and
// the tests all use this one instance.
import { createLinter } from './core/engine';
import { families } from './families';

export const engine = createLinter(families);
