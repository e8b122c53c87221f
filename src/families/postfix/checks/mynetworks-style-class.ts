import { postfixModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { PostfixConfig } from '../config';
import { serviceLabel } from './locate';

export const mynetworksStyleClass = defineCheck<PostfixConfig>({
  rule: 'postfix/mynetworks-style-class',
  model: postfixModel,
  run(config, report) {
    for (const service of config.evaluatedServices) {
      // postconf(5): mynetworks_style is ignored once mynetworks is set.
      if (config.isExplicit('mynetworks', service)) continue;
      const style = config.parameter('mynetworks_style', service);
      const written = config.originSpan(style);
      const valueSpan =
        style.origin.kind === 'main' ? style.origin.definition.value.span() : style.origin.kind === 'override' ? style.origin.override.value.span() : undefined;
      const styleName = style.expanded.text.trim().toLowerCase();
      if (!written || (styleName !== 'class' && styleName !== 'subnet')) continue;
      report(
        valueSpan ?? written,
        { style: styleName, service: serviceLabel(service) },
        {
          severity: styleName === 'class' ? 'warning' : 'info',
          suggestions: valueSpan ? [{ title: 'host', edits: [{ span: valueSpan, newText: 'host' }] }] : [],
        },
      );
    }
  },
});
