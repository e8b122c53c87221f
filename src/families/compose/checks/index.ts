import type { Check } from '../../../core/check';
import { portPublishedAllInterfaces } from './port-published-all-interfaces';
import { datastoreAuthDisabled } from './datastore-auth-disabled';
import { defaultOrEmptyCredentials } from './default-or-empty-credentials';
import { networkModeHost } from './network-mode-host';

export const composeChecks: Check<unknown>[] = [portPublishedAllInterfaces, datastoreAuthDisabled, defaultOrEmptyCredentials, networkModeHost];
