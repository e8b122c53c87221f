import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as manifest from '../editor/manifest-checks';
import { engine } from '../../src/product';

const ROOT = path.resolve(__dirname, '../..');

describe('extension manifest', () => {
  it('has every user-visible string in English and Japanese', () => {
    assert.deepEqual(manifest.l10nProblems(ROOT), []);
  });

  it('offers every registered format in the fileAssociations setting', () => {
    assert.deepEqual(
      manifest.formatSettingProblems(
        ROOT,
        engine.formats.map((handler) => handler.id),
      ),
      [],
    );
  });
});
