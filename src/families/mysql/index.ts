import { defineFamily } from '../../core/family';
import { mysqlFormats } from './formats';
import { mysqlChecks } from './checks';
import mysqlRules from '../../../rules/mysql.json';
import mysqlTexts from '../../../rules/mysql.texts.json';

/** The mysql family: its formats, its checks and its part of the catalogue. */
export const mysqlFamily = defineFamily({
  id: 'mysql',
  formats: [...mysqlFormats],
  checks: mysqlChecks,
  catalogue: [{ file: 'rules/mysql.json', rules: mysqlRules, texts: mysqlTexts }],
});
