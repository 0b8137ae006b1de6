import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import { Tracer } from '../../slee/facilities/trace/tracer.js';

@Sbb()
class MetadataProbeSbb {
  constructor(
    readonly timers: TimerFacility,
    readonly tracer: Tracer,
  ) {}
}

test('the build emits design:paramtypes, which constructor injection of facilities needs', () => {
  const types = Reflect.getMetadata('design:paramtypes', MetadataProbeSbb) as unknown[] | undefined;
  assert.ok(types, 'design:paramtypes is missing: compile with tsc and emitDecoratorMetadata; esbuild, tsx and Node type stripping drop it');
  assert.deepEqual(types, [TimerFacility, Tracer]);
});
