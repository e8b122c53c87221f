// Every supported format and every check, in one list each. A new family adds one line to each list.
import type { Check } from './check';
import type { FormatHandler } from './format';
import { postfixFormats } from '../families/postfix/formats';
import { postfixChecks } from '../families/postfix/checks';
import { redisFormats } from '../families/redis/formats';
import { redisChecks } from '../families/redis/checks';
import { mysqlFormats } from '../families/mysql/formats';
import { mysqlChecks } from '../families/mysql/checks';
import { postgresqlFormats } from '../families/postgresql/formats';
import { pgChecks } from '../families/postgresql/checks';
import { mongodbFormats } from '../families/mongodb/formats';
import { mongodbChecks } from '../families/mongodb/checks';
import { elasticsearchFormats } from '../families/elasticsearch/formats';
import { elasticsearchChecks } from '../families/elasticsearch/checks';
import { composeFormats } from '../families/compose/formats';
import { composeChecks } from '../families/compose/checks';
import { nginxFormats } from '../families/web/nginx';
import { apacheFormats } from '../families/web/apache';
import { webChecks } from '../families/web/checks';
import { k8sFormats } from '../families/k8s/formats';
import { k8sChecks } from '../families/k8s/checks';

export const formatHandlers: FormatHandler[] = [...k8sFormats, ...postfixFormats, ...redisFormats, ...mysqlFormats, ...postgresqlFormats, ...mongodbFormats, ...elasticsearchFormats, ...composeFormats, ...nginxFormats, ...apacheFormats];

export const checks: Check[] = [...postfixChecks, ...redisChecks, ...mysqlChecks, ...pgChecks, ...mongodbChecks, ...elasticsearchChecks, ...composeChecks, ...webChecks, ...k8sChecks];
