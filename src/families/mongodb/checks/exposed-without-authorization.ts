import { mongodbModel } from '../formats';
import { defineCheck, type EditSpec } from '../../../core/check';
import type { MongodConfig } from '../formats';
import { mongodbAuthentication } from '../auth';

/** Turns access control on: replaces `authorization: disabled`, or adds it under (or with) `security:`. */
export function enableAuthorizationEdit(config: MongodConfig): EditSpec {
  const { source } = config;
  if (config.authorization) return { span: config.authorization.span, newText: config.form === 'legacy' ? 'true' : 'enabled' };
  if (config.form === 'legacy') {
    const end = source.text.length;
    return { span: { file: source.path, start: end, end }, newText: `${source.text.endsWith('\n') || end === 0 ? '' : '\n'}auth = true\n` };
  }
  if (config.security) {
    const indent = ' '.repeat(config.security.childIndent ?? 2);
    return { span: { file: source.path, start: config.security.lineEnd, end: config.security.lineEnd }, newText: `\n${indent}authorization: enabled` };
  }
  const end = source.text.length;
  return {
    span: { file: source.path, start: end, end },
    newText: `${source.text.endsWith('\n') || end === 0 ? '' : '\n'}security:\n  authorization: enabled\n`,
  };
}

export const exposedWithoutAuthorization = defineCheck<MongodConfig>({
  rule: 'mongodb/exposed-without-authorization',
  model: mongodbModel,
  run(config, report) {
    const verdict = mongodbAuthentication({ file: config });
    if (verdict.open !== 'yes' || !verdict.exposedBy) return;
    report(
      verdict.exposedBy.span.span,
      { listen: verdict.exposedBy.text },
      {
        suggestions: [{ title: 'enableAuthorization', edits: [enableAuthorizationEdit(config)] }],
        related: verdict.evidence.map(({ span, reason }) => ({ span, message: reason })),
      },
    );
  },
});
