// k8s/ingress-admin-path-unrestricted: an admin screen (a CMS's admin path, a database tool, Kibana, a
// dashboard) published through an Ingress with no source-range allow-list, no authentication and no
// internal-only controller. Annotations apply to every path of their Ingress (rule catalogue 4.50).
import { k8sModel } from '../formats';
import { type FixSpec, type TextRef, defineCheck, text } from '../../../core/check';
import type { Ingress, IngressBackend, K8sValue, Manifests } from '../model';
import { sameNamespace, selectedWorkloads } from '../model';
import { ADMIN_APPS } from '../../web/admin-apps';
import { wellKnownImage } from '../../shared/well-known';
import { rangeProblems } from './exposure';
import { withoutTrailingSlashes } from '../../shared/names';

const ALLOW_LISTS = [
  'nginx.ingress.kubernetes.io/whitelist-source-range',
  'nginx.ingress.kubernetes.io/allowlist-source-range',
  'haproxy.org/allow-list',
  'haproxy.org/whitelist',
  'haproxy-ingress.github.io/allowlist-source-range',
  'haproxy-ingress.github.io/whitelist-source-range',
  'ingress.kubernetes.io/whitelist-source-range',
  'traefik.ingress.kubernetes.io/whitelist-source-range',
  'alb.ingress.kubernetes.io/inbound-cidrs',
];
const AUTHENTICATION = [
  'nginx.ingress.kubernetes.io/auth-type',
  'nginx.ingress.kubernetes.io/auth-url',
  'nginx.ingress.kubernetes.io/auth-signin',
  'haproxy.org/auth-type',
  'haproxy-ingress.github.io/auth-type',
  'haproxy-ingress.github.io/auth-url',
  'ingress.kubernetes.io/auth-type',
  'traefik.ingress.kubernetes.io/auth-type',
  'alb.ingress.kubernetes.io/auth-type',
];
/** Annotations that may restrict access in ways not written here (a middleware, a raw nginx snippet, a plugin). */
const OPAQUE = ['traefik.ingress.kubernetes.io/router.middlewares', 'konghq.com/plugins', 'nginx.ingress.kubernetes.io/server-snippet'];

function internalOnly(ingress: Ingress): boolean {
  const annotation = (key: string) => ingress.meta.annotations.get(key)?.text ?? '';
  return (
    /internal|private/i.test(ingress.className ?? '') ||
    /^internal$/i.test(annotation('alb.ingress.kubernetes.io/scheme')) ||
    /^true$/i.test(annotation('appgw.ingress.kubernetes.io/use-private-ip')) ||
    /^gce-internal$/i.test(annotation('kubernetes.io/ingress.class'))
  );
}

function restrictedElsewhere(ingress: Ingress): boolean {
  const annotations = ingress.meta.annotations;
  if (AUTHENTICATION.some((key) => annotations.has(key) && !/^(none|off|false)$/i.test(annotations.get(key)!.text))) return true;
  if (OPAQUE.some((key) => annotations.has(key))) return true;
  return /\b(allow|deny|auth_basic|auth_request)\b/.test(annotations.get('nginx.ingress.kubernetes.io/configuration-snippet')?.text ?? '');
}

/** Prefix paths match whole path elements (`/wp-admin` covers `/wp-admin/x`, not `/wp-administrator`). */
function covers(backend: IngressBackend, probe: string): boolean {
  const path = backend.path?.text ?? '/';
  if (backend.pathType === 'Exact') return probe === path;
  const prefix = withoutTrailingSlashes(path);
  return prefix === '' || probe === prefix || probe.startsWith(`${prefix}/`);
}

const ADMIN_BACKEND = /kibana|dashboard|phpmyadmin|adminer|pgadmin|mongo-express|redis-commander|portainer|grafana|prometheus|alertmanager/i;

/** The admin screen this path publishes: a CMS or tool path it covers, or a backend that is an admin tool. */
function adminBehind(manifests: Manifests, ingress: Ingress, backend: IngressBackend): { name: TextRef | string; path: string } | undefined {
  const path = backend.path?.text ?? '/';
  for (const app of ADMIN_APPS) {
    // A catch-all path is not evidence that an application's admin screen lives behind it.
    // A regular expression (ingress-nginx with use-regex) is matched by name, a plain path by what it covers.
    const regex = backend.pathType !== 'Exact' && backend.pathType !== 'Prefix' && /[()[\]|*+?^$]/.test(path);
    if (path !== '/' && (app.probes.some((probe) => covers(backend, probe)) || (regex && app.marker.test(path)))) return { name: app.name, path };
  }
  const service = manifests.folder.services.find(
    (candidate) => candidate.meta.name?.text === backend.service && sameNamespace(candidate.meta.namespace, ingress.meta.namespace),
  );
  const images = service
    ? selectedWorkloads(manifests.folder, service).flatMap((workload) => workload.containers.map((container) => container.image?.text ?? ''))
    : [];
  const tool = images.map((image) => ({ image, known: wellKnownImage(image) })).find(({ known }) => known?.kind === 'admin-tool');
  if (tool) return { name: tool.image.split('@')[0]!.split('/').pop()!.split(':')[0]!, path };
  if (ADMIN_BACKEND.test(backend.service)) return { name: backend.service, path };
  return undefined;
}

/** The entries of a comma-separated annotation value, each with its own span. */
function entriesOf(annotation: K8sValue, manifests: Manifests): K8sValue[] {
  const written = manifests.source.text.slice(annotation.span.start, annotation.span.end);
  const out: K8sValue[] = [];
  const pattern = /[^\s,"']+/g;
  for (let match = pattern.exec(written); match; match = pattern.exec(written))
    out.push({
      text: match[0],
      span: { file: annotation.span.file, start: annotation.span.start + match.index, end: annotation.span.start + match.index + match[0].length },
    });
  return out;
}

export const ingressAdminPathUnrestricted = defineCheck<Manifests>({
  rule: 'k8s/ingress-admin-path-unrestricted',
  model: k8sModel,
  run(manifests, report, context) {
    for (const ingress of manifests.ingresses) {
      if (internalOnly(ingress) || restrictedElsewhere(ingress)) continue;
      const name = ingress.meta.name?.text ?? text('k8s.unnamed-ingress');
      const admins = ingress.backends.flatMap((backend) => {
        const admin = adminBehind(manifests, ingress, backend);
        return admin ? [{ backend, admin }] : [];
      });
      if (!admins.length) continue;
      const allowList = ALLOW_LISTS.map((key) => ingress.meta.annotations.get(key)).find((value) => value !== undefined);
      if (allowList) {
        // The allow-list is the gate: report its entries that do not close it, once for the Ingress.
        const { admin } = admins[0]!;
        for (const { entry, problem, intended } of rangeProblems(entriesOf(allowList, manifests), context.trusted))
          report(
            entry.span,
            { app: admin.name, path: admin.path, ingress: name, problem },
            {
              severity: 'error',
              suggestions: intended ? [{ title: 'intended', data: { range: intended }, edits: [{ span: entry.span, newText: intended }] }] : [],
            },
          );
        continue;
      }
      const networks = (context.settings.trustedNetworks.length ? context.settings.trustedNetworks : ['192.168.0.0/16']).join(',');
      const insertion = ingress.annotationInsertion;
      const nginxClass = ingress.className === undefined || /nginx/i.test(ingress.className);
      const suggestions: FixSpec[] =
        insertion && nginxClass
          ? [
              {
                title: 'allowList',
                data: { networks },
                edits: [
                  {
                    span: { file: manifests.source.path, start: insertion.offset, end: insertion.offset },
                    newText: `${insertion.prefix}nginx.ingress.kubernetes.io/whitelist-source-range: "${networks}"`,
                  },
                ],
              },
            ]
          : [];
      // One finding for the Ingress, on its first admin path: one annotation restricts them all.
      const [first, ...others] = admins;
      report(
        first!.backend.path?.span ?? first!.backend.span,
        { app: first!.admin.name, path: first!.admin.path, ingress: name, problem: text('k8s.ingress-unrestricted') },
        {
          suggestions,
          related: [
            ...others.map(({ backend, admin }) => ({
              span: backend.path?.span ?? backend.span,
              message: text('k8s.ingress-also-publishes', { app: admin.name }),
            })),
            ...(ingress.meta.name ? [{ span: ingress.meta.name.span, message: text('k8s.ingress-annotations-apply-to-all') }] : []),
          ],
        },
      );
    }
  },
});
