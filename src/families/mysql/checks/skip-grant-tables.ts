import { mysqlModel } from '../formats';
import { defineCheck } from '../../../core/check';
import type { MysqlConfig } from '../formats';
import { mysqlAuthentication } from '../auth';

export const skipGrantTables = defineCheck<MysqlConfig>({
  rule: 'mysql/skip-grant-tables',
  model: mysqlModel,
  run(config, report) {
    const option = mysqlAuthentication({ file: config }).skipGrantTables;
    if (!option) return;
    const source = config.sources.find((file) => file.path === option.span.file);
    // Removing the whole line (with its line break) restores authentication: a change of who can log in.
    const line = source?.positionAt(option.span.start).line;
    const removal =
      source && line !== undefined
        ? { file: source.path, start: source.lineStarts[line]!, end: line + 1 < source.lineCount ? source.lineStarts[line + 1]! : source.text.length }
        : option.span;
    report(
      { ...option.span, end: option.value ? option.value.span.end : option.nameSpan.end },
      {},
      { suggestions: [{ title: 'remove', edits: [{ span: removal, newText: '' }] }] },
    );
  },
});
