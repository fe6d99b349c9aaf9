import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTranslation } from '../../../src/domain/translation/checks.ts';

const codes = (source: string, target: string) => checkTranslation(source, target).map((problem) => problem.code);

test('a faithful translation has no problems, in any script', () => {
  assert.deepEqual(
    codes(
      'In 2024, 35 volunteers recorded 1.5 hours of stories.',
      'En 2024, 35 bénévoles ont enregistré 1,5 heure de récits.',
    ),
    [],
  );
  assert.deepEqual(codes('Is this the river?', '¿Es este el río?'), []);
  assert.deepEqual(codes('Volunteers met in 2024.', 'اجتمع المتطوعون في عام ٢٠٢٤.'), []);
  assert.deepEqual(codes('Volunteers met in 2024.', 'स्वयंसेवक २०२४ में मिले।'), []);
  assert.deepEqual(codes('Volunteers met in 2024.', 'ボランティアは２０２４年に集まった。'), []);
  assert.deepEqual(codes('Did they come?', 'هل جاؤوا؟'), []);
});

test('numbers missing or added are named', () => {
  const problems = checkTranslation('Seats: 12 of 40.', 'Places : 12 sur 14.');
  assert.deepEqual(problems.find((p) => p.code === 'numbers_missing')?.details, ['40']);
  assert.deepEqual(problems.find((p) => p.code === 'numbers_added')?.details, ['14']);
});

test('end punctuation, spaces, length and an untouched copy are warnings; an empty target is an error', () => {
  assert.deepEqual(codes('Where is it?', 'Où est-ce.'), ['end_punctuation']);
  assert.deepEqual(codes('A sentence.', ' Une phrase.'), ['outer_spaces']);
  assert.deepEqual(codes('A sentence.', 'Une  phrase.'), ['double_space']);
  assert.deepEqual(codes('A long sentence about many volunteers and villages.', 'Non.'), ['length']);
  assert.deepEqual(codes('Volunteers recorded every village.', 'Volunteers recorded every village.'), ['unchanged']);
  assert.deepEqual(codes('Wikipedia', 'Wikipedia'), ['unchanged'], 'a name may stay as it is: a warning only');
  assert.deepEqual(checkTranslation('A sentence.', '   '), [{ code: 'empty', severity: 'error' }]);
  assert.ok(checkTranslation('Where?', 'Où.').every((problem) => problem.severity === 'warning'));
});
