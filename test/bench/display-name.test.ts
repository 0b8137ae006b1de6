import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayName } from '../../bench/counting/display-name.js';

test('displayName elides a C++ symbol’s template arguments and parameters, and keeps other names whole', () => {
  assert.equal(
    displayName(
      'void v8::internal::MarkingVisitorBase<v8::internal::MainMarkingVisitor<v8::internal::MarkingState>, v8::internal::MarkingState>::ProcessStrongHeapObject<v8::internal::FullHeapObjectSlot>(v8::internal::HeapObject, v8::internal::FullHeapObjectSlot, v8::internal::HeapObject)',
    ),
    'void v8::internal::MarkingVisitorBase<…>::ProcessStrongHeapObject<…>(…)',
  );
  assert.equal(displayName('v8::internal::HeapObject::SizeFromMap(v8::internal::Map) const'), 'v8::internal::HeapObject::SizeFromMap(…) const');
  assert.equal(
    displayName('v8::internal::MainMarkingVisitor<v8::internal::MarkingState>::ShouldVisit(v8::internal::HeapObject) [clone .constprop.0]'),
    'v8::internal::MainMarkingVisitor<…>::ShouldVisit(…) [clone .constprop.0]',
  );
  assert.equal(
    displayName('std::_Hashtable<unsigned int, std::pair<unsigned int const, v8::X*> >::operator()(unsigned int const&) const'),
    'std::_Hashtable<…>::operator()(…) const',
  );
  assert.equal(displayName('std::less<int>::operator<(int, int)'), 'std::less<…>::operator<(…)');
  // Unbalanced text is left as it is from where it stops balancing.
  assert.equal(displayName('a::b(c'), 'a::b(c');
  for (const name of ['*scanUri resource-adaptors/sip/message/uri.js:101', 'Builtins_StringIndexOf', 'RegExp:^(?:(?:25[0-5]|1[0-9])\\.){3}$', '_int_malloc']) {
    assert.equal(displayName(name), name);
  }
});
