import { defineFamily } from '../../core/family';
import { nginxFormats } from './nginx';
import { apacheFormats } from './apache';
import { webChecks } from './checks';
import nginxRules from '../../../rules/nginx.json';
import webRules from '../../../rules/web.json';
import webTexts from '../../../rules/web.texts.json';

/** The web family: its formats, its checks and its part of the catalogue. */
export const webFamily = defineFamily({
  id: 'web',
  formats: [...nginxFormats, ...apacheFormats],
  checks: webChecks,
  catalogue: [
    { file: 'rules/nginx.json', rules: nginxRules },
    { file: 'rules/web.json', rules: webRules, texts: webTexts },
  ],
});
