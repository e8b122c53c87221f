import { defineFamily } from '../../core/family';
import { mongodbFormats } from './formats';
import { mongodbChecks } from './checks';
import mongodbRules from '../../../rules/mongodb.json';
import mongodbTexts from '../../../rules/mongodb.texts.json';

/** The mongodb family: its formats, its checks and its part of the catalogue. */
export const mongodbFamily = defineFamily({
  id: 'mongodb',
  formats: [...mongodbFormats],
  checks: mongodbChecks,
  catalogue: [{ file: 'rules/mongodb.json', rules: mongodbRules, texts: mongodbTexts }],
});
