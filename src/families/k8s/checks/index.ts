import type { Check } from '../../../core/check';
import { serviceExposesDatastorePort } from './service-exposes-datastore-port';
import { datastoreDefaultCredentials } from './datastore-default-credentials';
import { unauthenticatedDatastoreReachable } from './unauthenticated-datastore-reachable';
import { ingressAdminPathUnrestricted } from './ingress-admin-path-unrestricted';

export const k8sChecks: Check<unknown>[] = [
  serviceExposesDatastorePort,
  datastoreDefaultCredentials,
  unauthenticatedDatastoreReachable,
  ingressAdminPathUnrestricted,
];
