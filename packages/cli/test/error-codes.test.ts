import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ErrorCode } from '@yinzhang/gm';
import { errorText } from '../src/error-text.js';
import { YzError } from '@yinzhang/gm';

test('every error code is documented in docs/errors.md and has a Chinese text in the CLI', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.values(ErrorCode)) {
    assert.ok(doc.includes(`| \`${code}\` |`), `docs/errors.md lacks ${code}`);
    assert.doesNotMatch(errorText('zh', new YzError(code, 'x')), /操作失败/, `no zh text for ${code}`);
  }
});
