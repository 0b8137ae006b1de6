import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeOf } from '../../profiles/specification/attribute-of.js';
import type { AttributeModel } from '../../profiles/specification/attribute-model.js';

const attribute = (name: string, kind: AttributeModel['kind']) => ({ name, kind }) as AttributeModel;

test("attributeOf finds a spec's own attribute by name, and nothing for a name it does not declare", () => {
  const v1 = { attributes: [attribute('address', 'string'), attribute('credit', 'number')] };
  const v2 = { attributes: [attribute('address', 'string'), attribute('credit', 'string')] };
  assert.equal(attributeOf(v1, 'credit'), v1.attributes[1]);
  assert.equal(attributeOf(v2, 'credit'), v2.attributes[1], 'each spec answers from its own attributes, not from the first spec asked');
  assert.equal(attributeOf(v1, 'credit'), v1.attributes[1]);
  assert.equal(attributeOf(v1, 'missing'), undefined);
  assert.equal(attributeOf(v1, null), undefined);
  assert.equal(attributeOf(v1, undefined), undefined);
});
