// Every supported format and every check, in one list each. A new family adds one line to each list.
import type { Check } from './check';
import type { FormatHandler } from './format';
import { postfixFormats } from '../formats/postfix';
import { postfixChecks } from '../checks/postfix';
import { redisFormats } from '../formats/redis';
import { redisChecks } from '../checks/redis';
import { mysqlFormats } from '../formats/mysql';
import { mysqlChecks } from '../checks/mysql';
import { postgresqlFormats } from '../formats/postgresql';
import { pgChecks } from '../checks/pg';
import { mongodbFormats } from '../formats/mongodb';
import { mongodbChecks } from '../checks/mongodb';
import { elasticsearchFormats } from '../formats/elasticsearch';
import { elasticsearchChecks } from '../checks/elasticsearch';
import { composeFormats } from '../formats/compose';
import { composeChecks } from '../checks/compose';
import { nginxFormats } from '../formats/nginx';
import { apacheFormats } from '../formats/apache';
import { webChecks } from '../checks/web';
import { k8sFormats } from '../formats/k8s';
import { k8sChecks } from '../checks/k8s';

export const formatHandlers: FormatHandler[] = [...k8sFormats, ...postfixFormats, ...redisFormats, ...mysqlFormats, ...postgresqlFormats, ...mongodbFormats, ...elasticsearchFormats, ...composeFormats, ...nginxFormats, ...apacheFormats];

export const checks: Check[] = [...postfixChecks, ...redisChecks, ...mysqlChecks, ...pgChecks, ...mongodbChecks, ...elasticsearchChecks, ...composeChecks, ...webChecks, ...k8sChecks];
