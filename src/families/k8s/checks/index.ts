import type { Check } from '../../../core/check';
import { serviceExposesDatastorePort } from './service-exposes-datastore-port';
import { datastoreDefaultCredentials } from './datastore-default-credentials';

export const k8sChecks: Check<unknown>[] = [serviceExposesDatastorePort, datastoreDefaultCredentials];
