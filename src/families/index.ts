// The composition root: every family the product ships, in detection order (the first format whose name
// test matches a file wins, so the more specific formats come first). The core imports none of them;
// src/linter.ts hands this list to createLinter. Adding a family adds one line here.
import type { Family } from '../core/family';
import { k8sFamily } from './k8s';
import { postfixFamily } from './postfix';
import { redisFamily } from './redis';
import { mysqlFamily } from './mysql';
import { postgresqlFamily } from './postgresql';
import { mongodbFamily } from './mongodb';
import { elasticsearchFamily } from './elasticsearch';
import { composeFamily } from './compose';
import { webFamily } from './web';

export const families: readonly Family[] = [
  k8sFamily,
  postfixFamily,
  redisFamily,
  mysqlFamily,
  postgresqlFamily,
  mongodbFamily,
  elasticsearchFamily,
  composeFamily,
  webFamily,
];
