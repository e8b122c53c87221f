// firewalld/input-default-accept: the default zone, which handles every connection no source or
// interface binding claims, accepts everything (DefaultZone=trusted, or its target is ACCEPT): the host has
// no inbound restriction at all. Reported on DefaultZone in firewalld.conf, or on the target of that zone.
import { defineCheck } from '../../../core/check';
import { firewalldModel } from '../formats';

export const inputDefaultAccept = defineCheck({
  rule: 'firewalld/input-default-accept',
  model: firewalldModel,
  run(config, report) {
    const chosen = config.setup.defaultZone;
    // Only a default zone that firewalld.conf names: a zone file alone does not say it is the default.
    if (!chosen.entry) return;
    const zone = config.setup.zones.get(chosen.name);
    if (!zone || zone.target.value !== 'ACCEPT') return;
    if (chosen.entry.valueSpan.file === config.linted)
      report(chosen.entry.valueSpan, { zone: zone.name }, { suggestions: [{ title: 'public', edits: [{ span: chosen.entry.valueSpan, newText: 'public' }] }] });
    else if (config.zone === zone && zone.target.span && !config.setup.isAsShipped(zone))
      report(zone.target.span, { zone: zone.name }, { suggestions: [{ title: 'defaultTarget', edits: [{ span: zone.target.span, newText: 'default' }] }] });
  },
});
