import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { PLACEHOLDER_PATTERN, placeholder } from '../../src/domain/translation/markers.ts';
import { fromUnitText, toUnitText } from '../../src/domain/stories/placeholders.ts';
import { apertiumEngine } from '../../src/providers/translation/apertium.ts';
import type { MachineResult, MachineTranslation } from '../../src/providers/translation/machine.ts';
import { APERTIUM_PACKAGES, freePort, startApertium, type RunningApertium } from '../helpers/apertium.ts';

const MODES_DIR = process.env.APERTIUM_MODES ?? '/usr/share/apertium/modes';
const markersOf = (translated: string) =>
  [...translated.matchAll(new RegExp(PLACEHOLDER_PATTERN.source, 'gu'))].map((match) => Number(match[1]));
const withoutMarkers = (translated: string) => translated.replace(new RegExp(PLACEHOLDER_PATTERN.source, 'gu'), '');

function suggested(result: MachineResult): string {
  assert.ok(result.ok, `a suggestion, got ${JSON.stringify(result)}`);
  assert.equal(result.suggestion.engine, 'apertium');
  return result.suggestion.text;
}

function refused(result: MachineResult, reason: string) {
  assert.ok(!result.ok, `a refusal, got ${JSON.stringify(result)}`);
  assert.equal(result.reason, reason, result.message);
  assert.ok(result.message.length > 0);
}

describe('machine translation by a real Apertium APy', () => {
  let apertium: RunningApertium;
  let engine: MachineTranslation;
  const requested: string[] = [];

  before(async () => {
    apertium = await startApertium();
    // Generous: a pair's first request starts its pipeline, and the tests share the CPU.
    engine = apertiumEngine({
      url: apertium.url,
      timeoutMs: 15_000,
      fetch: (input, init) => {
        requested.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
    });
  });
  after(() => apertium?.stop());

  test('lists the installed pairs in the site’s codes', async () => {
    const pairs = (await engine.pairs()).map(({ source, target }) => `${source}>${target}`);
    assert.ok(pairs.includes('en>es'), `en>es among ${pairs.join(', ')} (Debian: ${APERTIUM_PACKAGES.join(' ')})`);
    assert.ok(pairs.includes('es>en'));
    // Each installed mode gives the directions the site would look for.
    const byMode: Record<string, string[]> = {
      'fr-es': ['fr>es'],
      'es-fr': ['es>fr'],
      'es-pt': ['es>pt'],
      'pt-es': ['pt>es'],
      'en-gl': ['en>gl'],
      'gl-en': ['gl>en'],
      'eng-cat': ['en>ca'],
      'cat-eng': ['ca>en'],
      'rus-ukr': ['ru>uk'],
      'ukr-rus': ['uk>ru'],
      'urd-hin': ['ur>hi'],
      'hin-urd': ['hi>ur'],
      'hbs-eng': ['sr-latn>en', 'hr>en', 'bs>en'],
      'eng-hbs_SR': ['en>sr-latn'],
      'eng-hbs_HR': ['en>hr'],
      'eng-hbs_BS': ['en>bs'],
    };
    for (const [mode, expected] of Object.entries(byMode))
      if (existsSync(`${MODES_DIR}/${mode}.mode`))
        for (const pair of expected) assert.ok(pairs.includes(pair), `${pair} from ${mode}.mode`);
    assert.equal(new Set(pairs).size, pairs.length, 'each direction once, variants folded in');
    for (const pair of pairs) assert.match(pair, /^[a-z]{2,3}(-latn)?>[a-z]{2,3}(-latn)?$/, 'no ISO 639-3 codes left');
  });

  test('translates an English sentence into Spanish', async () => {
    const spanish = suggested(await engine.translate('The volunteers wrote a story.', 'en', 'es'));
    assert.match(spanish, /voluntarios/);
    assert.match(spanish, /historia\.$/);
    assert.doesNotMatch(spanish, /[<>*]|&\w+;/, 'no markup, entities or unknown-word marks');
  });

  test('keeps the characters HTML would escape as they are', async () => {
    const spanish = suggested(await engine.translate('Ana & Tom read 5 < 7 stories, "fast".', 'en', 'es'));
    assert.match(spanish, /^Ana & Tom .*5 < 7 historias, "rápidamente"\.$/);
  });

  test('keeps the outer spaces of the source', async () => {
    const spanish = suggested(await engine.translate('I have a red car. ', 'en', 'es'));
    assert.equal(spanish, 'Tengo un coche rojo. ');
  });

  test('carries placeholder markers through, in order, around the words they marked', async () => {
    const unit = toUnitText([
      { type: 'text', text: 'The ' },
      { type: 'strong', children: [{ type: 'text', text: 'volunteers' }] },
      { type: 'text', text: ' wrote a ' },
      { type: 'link', href: 'https://example.org/story', children: [{ type: 'text', text: 'story' }] },
      { type: 'text', text: '.' },
    ]);
    assert.deepEqual(markersOf(unit.text), [0, 1, 2, 3]);
    const spanish = suggested(await engine.translate(unit.text, 'en', 'es'));
    assert.deepEqual(markersOf(spanish), [0, 1, 2, 3]);
    assert.ok(spanish.includes(`${placeholder(0)}voluntarios${placeholder(1)}`), spanish);
    assert.ok(spanish.includes(`${placeholder(2)}historia${placeholder(3)}`), spanish);
    assert.equal(withoutMarkers(spanish), 'Los voluntarios escribieron una historia.');
    const rebuilt = fromUnitText(spanish, unit.placeholders);
    assert.ok('inline' in rebuilt, JSON.stringify(rebuilt));
    assert.equal(rebuilt.inline[1]?.type, 'strong');
    assert.equal(rebuilt.inline[3]?.type, 'link');
  });

  test(
    'reads the BCP 47 region of a target: Brazilian or European Portuguese',
    {
      skip: !existsSync(`${MODES_DIR}/es-pt_BR.mode`) && 'apertium-es-pt is not installed',
    },
    async () => {
      const sentence = 'Tomamos el autobús.';
      assert.match(suggested(await engine.translate(sentence, 'es', 'pt')), /autocarro/);
      assert.match(suggested(await engine.translate(sentence, 'es', 'pt-BR')), /ônibus/);
    },
  );

  // Skipped only where Debian's apertium-hbs-eng is not installed (.ci/run installs it).
  test('reads Serbo-Croatian as Croatian', { skip: !existsSync(`${MODES_DIR}/hbs-eng.mode`) }, async () => {
    assert.equal(suggested(await engine.translate('Kuća je velika.', 'hr', 'en')), 'House is large.');
  });

  test('says no-pair for a direction the engine lacks, without asking it to translate', async () => {
    requested.length = 0;
    refused(await engine.translate('The volunteers wrote a story.', 'en', 'ja'), 'no-pair');
    refused(await engine.translate('Волонтери написали історію.', 'sr-cyrl', 'en'), 'no-pair');
    assert.ok(!requested.includes('/translate'), `requests: ${requested.join(', ')}`);
  });
});

type Handler = (request: IncomingMessage, form: URLSearchParams, response: ServerResponse) => void | Promise<void>;

const json = (response: ServerResponse, body: unknown, status = 200) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const answer = (translatedText: string) => ({ responseData: { translatedText }, responseStatus: 200 });
const englishSpanish = { responseData: [{ sourceLanguage: 'eng', targetLanguage: 'spa' }], responseStatus: 200 };

/** A stand-in for APy on 127.0.0.1, for the failures a real one cannot be made to show. */
async function fakeApertium(handlers: { listPairs?: Handler; translate?: Handler }) {
  const seen: string[] = [];
  const server = createServer(async (request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://fake');
    const form = request.method === 'POST' ? new URLSearchParams(await text(request)) : searchParams;
    seen.push(pathname === '/translate' ? `translate ${form.get('langpair')}` : pathname.slice(1));
    if (pathname === '/listPairs')
      await (handlers.listPairs ?? ((_, __, res) => json(res, englishSpanish)))(request, form, response);
    else if (pathname === '/translate' && handlers.translate) await handlers.translate(request, form, response);
    else json(response, { status: 'error', code: 404 }, 404);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('machine translation by Apertium when things go wrong', () => {
  test('a slow answer ends in a timeout within the time given', async () => {
    const fake = await fakeApertium({
      translate: (_, __, response) => {
        const late = setTimeout(() => json(response, answer('Tarde.')), 5000);
        response.on('close', () => clearTimeout(late));
      },
    });
    try {
      const engine = apertiumEngine({ url: fake.url, timeoutMs: 300 });
      const started = performance.now();
      refused(await engine.translate('Late.', 'en', 'es'), 'timeout');
      const took = performance.now() - started;
      assert.ok(took >= 250 && took < 1500, `${Math.round(took)} ms`);
    } finally {
      await fake.close();
    }
  });

  test('an answer that starts but trickles ends in a timeout too', async () => {
    const fake = await fakeApertium({
      translate: (_, __, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"responseData": {"transl');
      },
    });
    try {
      const started = performance.now();
      refused(await apertiumEngine({ url: fake.url, timeoutMs: 300 }).translate('Late.', 'en', 'es'), 'timeout');
      assert.ok(performance.now() - started < 1500);
    } finally {
      await fake.close();
    }
  });

  test('a list of pairs that does not come in time is a timeout, and an empty list', async () => {
    const fake = await fakeApertium({ listPairs: () => {} });
    try {
      const engine = apertiumEngine({ url: fake.url, timeoutMs: 200 });
      refused(await engine.translate('Late.', 'en', 'es'), 'timeout');
      assert.deepEqual(await engine.pairs(), []);
    } finally {
      await fake.close();
    }
  });

  test('anything but the expected JSON is a bad answer', async () => {
    const bodies: Array<[string, (response: ServerResponse) => void]> = [
      [
        'an HTML page',
        (r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Gateway</body></html>'),
      ],
      ['garbage', (r) => r.writeHead(200).end('\u0000\u00ff not json')],
      ['JSON of another shape', (r) => json(r, { responseData: { text: 'Hola.' }, responseStatus: 200 })],
      [
        'a status other than 200 inside',
        (r) => json(r, { responseData: { translatedText: 'Hola.' }, responseStatus: 500 }),
      ],
      ['an empty translation', (r) => json(r, answer('<span id="0"></span> <span id="1"></span>'))],
      ['a lost marker', (r) => json(r, answer('<span id="0"></span>Hola.'))],
      [
        'an invented marker',
        (r) => json(r, answer('<span id="0"></span>Hola<span id="1"></span><span id="2"></span>.')),
      ],
      ['broken markup', (r) => json(r, answer('<span id="0"></span>Hola<span id="1"></span> <i>.'))],
      ['a 404', (r) => json(r, { status: 'error' }, 404)],
    ];
    for (const [what, send] of bodies) {
      const fake = await fakeApertium({ translate: (_, __, response) => send(response) });
      try {
        const source = `${placeholder(0)}Hello${placeholder(1)}.`;
        const result = await apertiumEngine({ url: fake.url }).translate(source, 'en', 'es');
        assert.ok(!result.ok && result.reason === 'bad-answer', `${what}: ${JSON.stringify(result)}`);
      } finally {
        await fake.close();
      }
    }
  });

  test('a huge answer is refused, announced or not, without reading it all', async () => {
    const huge = 'Hola. '.repeat(200_000);
    for (const announced of [true, false]) {
      const fake = await fakeApertium({
        translate: (_, __, response) => {
          const body = JSON.stringify(answer(huge));
          response.writeHead(200, announced ? { 'content-length': Buffer.byteLength(body) } : {}).end(body);
        },
      });
      try {
        refused(await apertiumEngine({ url: fake.url }).translate('Hello.', 'en', 'es'), 'bad-answer');
      } finally {
        await fake.close();
      }
    }
  });

  test('a closed port is unavailable, and the pairs are an empty list', async () => {
    const engine = apertiumEngine({ url: `http://127.0.0.1:${await freePort()}` });
    const result = await engine.translate('Hello.', 'en', 'es');
    refused(result, 'unavailable');
    assert.match(result.ok ? '' : result.message, /ECONNREFUSED/);
    assert.deepEqual(await engine.pairs(), []);
  });

  test('an overloaded or broken server is unavailable; a pair it lost is no-pair', async () => {
    let status = 503;
    const fake = await fakeApertium({
      translate: (_, __, response) =>
        status === 400
          ? json(response, { status: 'error', code: 400, explanation: 'That pair is not installed' }, 400)
          : json(response, { status: 'error', code: status, explanation: 'internal error' }, status),
    });
    try {
      const engine = apertiumEngine({ url: fake.url });
      refused(await engine.translate('Hello.', 'en', 'es'), 'unavailable');
      status = 400;
      refused(await engine.translate('Hello.', 'en', 'es'), 'no-pair');
    } finally {
      await fake.close();
    }
  });

  test('the pairs are kept for a while, and asked for again after a failure', async () => {
    let failing = true;
    const fake = await fakeApertium({
      listPairs: (_, __, response) => (failing ? json(response, {}, 500) : json(response, englishSpanish)),
      translate: (_, form, response) =>
        form.get('q') === 'Down.' ? json(response, {}, 503) : json(response, answer('Hola.')),
    });
    try {
      const engine = apertiumEngine({ url: fake.url });
      assert.deepEqual(await engine.pairs(), []);
      failing = false;
      assert.deepEqual(await engine.pairs(), [{ source: 'en', target: 'es' }]);
      await Promise.all([engine.pairs(), engine.translate('Hello.', 'en', 'es')]);
      assert.deepEqual(fake.seen, ['listPairs', 'listPairs', 'translate eng|spa'], 'the second list was kept');
      refused(await engine.translate('Down.', 'en', 'es'), 'unavailable');
      await engine.pairs();
      assert.equal(fake.seen.at(-1), 'listPairs', 'asked again after the failure');
    } finally {
      await fake.close();
    }
  });

  test('markers an engine swapped are put back in the source’s order', async () => {
    const fake = await fakeApertium({
      translate: (_, __, response) => json(response, answer('Un coche <span id="1"></span>rojo<span id="0"></span>.')),
    });
    try {
      const source = `A ${placeholder(0)}red${placeholder(1)} car.`;
      const spanish = suggested(await apertiumEngine({ url: fake.url }).translate(source, 'en', 'es'));
      assert.equal(spanish, `Un coche ${placeholder(0)}rojo${placeholder(1)}.`);
    } finally {
      await fake.close();
    }
  });

  test('maps Apertium’s codes and variants to the site’s and back', async () => {
    const listed = [
      ['spa', 'por'],
      ['spa', 'por_BR'],
      ['eng', 'cat_valencia'],
      ['eng', 'cat'],
      ['eng', 'hbs'],
      ['eng', 'hbs_SR'],
      ['eng', 'hbs_HR'],
      ['hbs', 'eng'],
      ['es', 'an'],
      ['eng', '<script>'],
    ].map(([sourceLanguage, targetLanguage]) => ({ sourceLanguage, targetLanguage }));
    const fake = await fakeApertium({
      listPairs: (_, __, response) => json(response, { responseData: listed, responseStatus: 200 }),
      translate: (_, __, response) => json(response, answer('Text.')),
    });
    try {
      const engine = apertiumEngine({ url: fake.url });
      const pairs = (await engine.pairs()).map(({ source, target }) => `${source}>${target}`);
      assert.deepEqual(pairs, ['bs>en', 'en>ca', 'en>hr', 'en>sr-latn', 'es>an', 'es>pt', 'hr>en', 'sr-latn>en']);
      const asked: Array<[string, string, string]> = [
        ['es', 'pt', 'spa|por'],
        ['es', 'pt-BR', 'spa|por_BR'],
        ['es', 'pt-PT', 'spa|por'],
        ['en', 'ca', 'eng|cat'],
        ['en', 'sr-Latn', 'eng|hbs_SR'],
        ['en', 'sr-latn-rs', 'eng|hbs_SR'],
        ['bs', 'en', 'hbs|eng'],
        ['es', 'an', 'es|an'],
      ];
      for (const [source, target] of asked) suggested(await engine.translate('Text.', source, target));
      assert.deepEqual(
        fake.seen.filter((line) => line.startsWith('translate')),
        asked.map(([, , langpair]) => `translate ${langpair}`),
      );
      for (const [source, target] of [
        ['en', 'sr-cyrl'],
        ['en', 'sr'],
        ['en', 'en'],
        ['pt', 'es'],
      ] as const)
        refused(await engine.translate('Text.', source, target), 'no-pair');
    } finally {
      await fake.close();
    }
  });
});
