import { defineFamily } from '../../core/family';
import { postgresqlFormats } from './formats';
import { pgChecks } from './checks';
import pgRules from '../../../rules/pg.json';
import pgTexts from '../../../rules/pg.texts.json';

/** The postgresql family: its formats, its checks and its part of the catalogue. */
export const postgresqlFamily = defineFamily({
  id: 'postgresql',
  formats: [...postgresqlFormats],
  checks: pgChecks,
  catalogue: [{ file: 'rules/pg.json', rules: pgRules, texts: pgTexts }],
});
