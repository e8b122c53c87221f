// The composition root: every family the product ships, in detection order (the first format whose name
// test matches a file wins, so the more specific formats come first). The core imports none of them;
// src/linter.ts hands this list to createLinter. Adding a family adds one line here.
import type { Family } from '../core/family';
import { sshdFamily } from './sshd';
import { k8sFamily } from './k8s';
import { postfixFamily } from './postfix';
import { eximFamily } from './exim';
import { sendmailFamily } from './sendmail';
import { dovecotFamily } from './dovecot';
import { squidFamily } from './squid';
import { redisFamily } from './redis';
import { mysqlFamily } from './mysql';
import { postgresqlFamily } from './postgresql';
import { mongodbFamily } from './mongodb';
import { elasticsearchFamily } from './elasticsearch';
import { composeFamily } from './compose';
import { webFamily } from './web';
import { ufwFamily } from './ufw';
import { iptablesFamily } from './iptables';
import { nftablesFamily } from './nftables';
import { firewalldFamily } from './firewalld';
import { haproxyFamily } from './haproxy';

export const families: readonly Family[] = [
  sshdFamily,
  k8sFamily,
  postfixFamily,
  eximFamily,
  sendmailFamily,
  dovecotFamily,
  squidFamily,
  redisFamily,
  mysqlFamily,
  postgresqlFamily,
  mongodbFamily,
  elasticsearchFamily,
  composeFamily,
  haproxyFamily,
  ufwFamily,
  iptablesFamily,
  nftablesFamily,
  firewalldFamily,
  webFamily,
];
