import { defineFamily } from '../../core/family';
import { nginxFormats } from './nginx';
import { apacheFormats } from './apache';
import type * as Checks from './checks';
import nginxRules from '../../../rules/nginx.json';
import webRules from '../../../rules/web.json';
import webTexts from '../../../rules/web.texts.json';

/** The web family: its formats, its checks and its part of the catalogue. */
export const webFamily = defineFamily({
  id: 'web',
  formats: [...nginxFormats, ...apacheFormats],
  // Loaded with the family's first lint, not at start-up (issue 16).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  checks: () => (require('./checks') as typeof Checks).webChecks,
  catalogue: [
    { file: 'rules/nginx.json', rules: nginxRules },
    { file: 'rules/web.json', rules: webRules, texts: webTexts },
  ],
});
