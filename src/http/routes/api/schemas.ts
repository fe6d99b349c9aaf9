import { Type, type TSchema } from 'typebox';

// The shapes the JSON API takes and gives: the one source of its validation, its TypeScript
// types and its OpenAPI document (/api/v1/openapi.json).

/** Every error: a stable code (listed in the OpenAPI document) and a message; some add details. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({
          description:
            'Stable: bad_request, bad_cursor, not_found, unknown_language, not_signed_in, invalid_token, token_revoked, token_expired, token_in_url, forbidden, insufficient_scope, csrf_invalid, too_large, rate_limited, invalid_cues, invalid_changes, edit_conflict, internal',
        }),
        message: Type.String(),
        problems: Type.Optional(
          Type.Array(Type.Object({}, { additionalProperties: true }), {
            description: 'What is wrong, one entry per problem (invalid_cues, invalid_changes)',
          }),
        ),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'Error', description: 'An error, with a stable code' },
);

/** The errors a route may answer with, by status, beside its own responses. */
export function withErrors<T extends Record<number, TSchema>>(responses: T, statuses: readonly number[] = [400, 404]) {
  return { ...responses, ...Object.fromEntries(statuses.map((status) => [status, Type.Ref('Error')])) } as T;
}

export const Language = Type.Object({
  code: Type.String(),
  autonym: Type.String(),
  dir: Type.Union([Type.Literal('ltr'), Type.Literal('rtl')]),
  fallbacks: Type.Array(Type.String()),
});

const IsoDate = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const StoryCard = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  textLanguage: Type.String({ description: 'The language the title and summary are in' }),
  region: Type.Union([Type.String(), Type.Null()]),
  languages: Type.Array(Type.String()),
  publishedAt: IsoDate,
});

export const Story = Type.Object({
  slug: Type.String(),
  sourceLanguage: Type.String(),
  textLanguage: Type.String(),
  languages: Type.Array(Type.String()),
  publishedAt: IsoDate,
  revision: Type.Integer(),
  title: Type.String(),
  summary: Type.String(),
  blocks: Type.Array(
    Type.Object({
      type: Type.Union([Type.Literal('paragraph'), Type.Literal('heading'), Type.Literal('quote')]),
      text: Type.String(),
    }),
  ),
  region: Type.Union([Type.String(), Type.Null()]),
  themes: Type.Array(Type.String()),
  translated: Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 100 }), {
    description: 'How far each language\u2019s translation is, in whole per cent (the source language left out)',
  }),
  storytellers: Type.Array(
    Type.Object({ username: Type.String(), displayName: Type.String(), homeWiki: Type.String() }),
  ),
  coverage: Type.Object(
    {
      translations: Type.Record(
        Type.String(),
        Type.Object({
          approved: Type.Integer({ minimum: 0, description: 'Units published in the language' }),
          units: Type.Integer({ minimum: 0, description: 'Units of the story\u2019s text' }),
          percent: Type.Integer({ minimum: 0, maximum: 100, description: 'approved of units, in whole per cent' }),
        }),
        { description: 'Every site language but the story\u2019s own, by code' },
      ),
      subtitles: Type.Record(
        Type.String(),
        Type.Object({
          state: Type.Union(
            [Type.Literal('draft'), Type.Literal('in_review'), Type.Literal('published'), Type.Null()],
            {
              description: 'Where the track stands in review; null when the language has no track',
            },
          ),
          published: Type.Boolean({ description: 'Whether viewers have an approved revision of the track' }),
          cues: Type.Integer({ minimum: 0 }),
          filled: Type.Integer({ minimum: 0, description: 'Cues with text' }),
          percent: Type.Integer({ minimum: 0, maximum: 100, description: 'filled of cues, in whole per cent' }),
        }),
        { description: 'Every site language, the story\u2019s own included, by code' },
      ),
    },
    { description: 'How far the story is in each language, counted as the coverage matrix counts' },
  ),
});

export const CueSettings = Type.Object(
  {
    vertical: Type.Union([Type.Literal(''), Type.Literal('rl'), Type.Literal('lr')]),
    line: Type.Union([Type.Number(), Type.Literal('auto')]),
    snapToLines: Type.Boolean(),
    lineAlign: Type.Union([Type.Literal('start'), Type.Literal('center'), Type.Literal('end')]),
    position: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Literal('auto')]),
    positionAlign: Type.Union([
      Type.Literal('line-left'),
      Type.Literal('center'),
      Type.Literal('line-right'),
      Type.Literal('auto'),
    ]),
    size: Type.Number({ minimum: 0, maximum: 100 }),
    align: Type.Union([
      Type.Literal('start'),
      Type.Literal('center'),
      Type.Literal('end'),
      Type.Literal('left'),
      Type.Literal('right'),
    ]),
    region: Type.String({ maxLength: 200 }),
  },
  { description: 'WebVTT cue settings; left out, the defaults' },
);

// Lengths, times and the number of cues are checked by the service (bounded here by the body
// limit), so a person hears which cue and which field is wrong, in the editor's problem list.
export const CueInput = Type.Object({
  id: Type.Optional(Type.String()),
  startTime: Type.Number({ description: 'Seconds' }),
  endTime: Type.Number({ description: 'Seconds' }),
  text: Type.String(),
  settings: Type.Optional(CueSettings),
});
export const Cue = Type.Object({
  id: Type.String(),
  startTime: Type.Number(),
  endTime: Type.Number(),
  text: Type.String(),
  settings: CueSettings,
});

const Status = Type.Union([Type.Literal('draft'), Type.Literal('in_review'), Type.Literal('published')]);

export const EditorState = Type.Object({
  track: Type.Union([
    Type.Object({
      id: Type.Integer(),
      revision: Type.Integer(),
      status: Status,
      cues: Type.Array(Cue),
      sourceLanguage: Type.Union([Type.String(), Type.Null()]),
      sourceRevision: Type.Union([Type.Integer(), Type.Null()]),
      publishedRevision: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  source: Type.Union([
    Type.Object({ language: Type.String(), revision: Type.Integer(), cues: Type.Array(Cue) }),
    Type.Null(),
  ]),
  review: Type.Union([
    Type.Object({
      decision: Type.Union([Type.Literal('submitted'), Type.Literal('approved'), Type.Literal('sent_back')]),
      comment: Type.String(),
      userName: Type.String(),
      bot: Type.Boolean({ description: "Whether the reviewer's account is a bot" }),
      at: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
});

export const Saved = Type.Object({
  revision: Type.Integer(),
  status: Status,
  savedAt: Type.String({ format: 'date-time' }),
});

export const Conflict = Type.Object(
  {
    error: Type.Object({ code: Type.Literal('edit_conflict'), message: Type.String() }),
    current: Type.Object({
      revision: Type.Integer(),
      cues: Type.Array(Cue),
      userName: Type.String(),
      bot: Type.Boolean({ description: 'Whether the account that saved it is a bot' }),
      savedAt: Type.String({ format: 'date-time' }),
    }),
  },
  { description: 'Someone saved since the base revision: the current version, to merge with' },
);

const WordChange = Type.Object({
  kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]),
  text: Type.String(),
});

export const TranslationUnit = Type.Object(
  {
    id: Type.String({ description: 'Stable: kept when the source sentence is edited or moved, never reused' }),
    part: Type.Union([Type.Literal('title'), Type.Literal('summary'), Type.Literal('body')]),
    block: Type.Integer({ description: "The body block's index (0 for the title and summary)" }),
    blockType: Type.Union([Type.Literal('paragraph'), Type.Literal('heading'), Type.Literal('quote'), Type.Null()]),
    source: Type.String({
      description: 'The source sentence; inline markup as placeholder markers U+E000 number U+E001',
    }),
    placeholders: Type.Array(Type.Object({ kind: Type.String(), href: Type.Optional(Type.String()) }), {
      description: "What each marker of the unit's block stands for, by number",
    }),
    sourceVersion: Type.Integer({ description: 'Goes up with each edit of the source that outdates translations' }),
    previousSource: Type.Union([Type.String(), Type.Null()], {
      description: 'For an outdated unit: the source its translation was made from',
    }),
    diff: Type.Union([Type.Array(WordChange), Type.Null()], { description: 'For an outdated unit: what changed' }),
    text: Type.String(),
    state: Type.Union([
      Type.Literal('untranslated'),
      Type.Literal('draft'),
      Type.Literal('review'),
      Type.Literal('approved'),
      Type.Literal('outdated'),
    ]),
    revision: Type.Integer({ description: "The translation's revision; 0 when not translated yet" }),
    origin: Type.Union([Type.String(), Type.Null()], {
      description: 'human, memory, machine:ENGINE, import or whole-text',
    }),
    translator: Type.Union([Type.String(), Type.Null()]),
    translatorBot: Type.Boolean({ description: "Whether the translator's account is a bot" }),
    reviewer: Type.Union([Type.String(), Type.Null()]),
    reviewerBot: Type.Boolean({ description: "Whether the reviewer's account is a bot" }),
    feedback: Type.Union([Type.String(), Type.Null()], { description: "A reviewer's reason for sending it back" }),
    updatedAt: IsoDate,
    comments: Type.Integer(),
  },
  { $id: 'TranslationUnit' },
);

export const Translation = Type.Object({
  story: Type.String(),
  sourceLanguage: Type.String(),
  language: Type.String(),
  percent: Type.Integer({ description: 'Units published in the language, in whole per cent' }),
  machine: Type.Union([Type.Literal('available'), Type.Literal('no-pair'), Type.Literal('off')], {
    description: 'Whether the machine translation engine offers this language pair',
  }),
  units: Type.Array(Type.Ref('TranslationUnit')),
});

export const UnitProblem = Type.Object({
  code: Type.String(),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  details: Type.Optional(Type.Array(Type.String())),
});

export const UnitSaved = Type.Object({
  unit: Type.Ref('TranslationUnit'),
  warnings: Type.Array(UnitProblem),
});

export const UnitConflict = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
  current: Type.Ref('TranslationUnit'),
});

export const MemoryMatches = Type.Object({
  matches: Type.Array(
    Type.Object({
      score: Type.Integer({ description: '100 for the same source text; shown from 75' }),
      source: Type.String(),
      target: Type.String(),
      origin: Type.String(),
    }),
  ),
});

export const MachineAnswer = Type.Union([
  Type.Object({ ok: Type.Literal(true), text: Type.String(), engine: Type.String() }),
  Type.Object({
    ok: Type.Literal(false),
    reason: Type.Union([
      Type.Literal('no-pair'),
      Type.Literal('unavailable'),
      Type.Literal('timeout'),
      Type.Literal('bad-answer'),
    ]),
    message: Type.String(),
  }),
]);

export const UnitComments = Type.Object({
  comments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      body: Type.String(),
      at: Type.String(),
      user: Type.Union([Type.String(), Type.Null()]),
      bot: Type.Boolean({ description: 'Whether the account is a bot' }),
      viaToken: Type.Union([Type.String(), Type.Null()], {
        description:
          'The name of the personal API token the comment was written through; null when written in the site',
      }),
    }),
  ),
});

export const UnitHistory = Type.Object({
  history: Type.Array(
    Type.Object({
      revision: Type.Integer(),
      text: Type.String(),
      state: Type.String(),
      action: Type.String(),
      origin: Type.String(),
      comment: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
      user: Type.Union([Type.String(), Type.Null()]),
      bot: Type.Boolean({ description: 'Whether the account is a bot' }),
      viaToken: Type.Union([Type.String(), Type.Null()], {
        description:
          'The name (when the change was made) of the personal API token it was made through; null when made in the site',
      }),
    }),
  ),
});

export const TrackHistory = Type.Object({
  revisions: Type.Array(
    Type.Object({
      revision: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
      user: Type.Union([Type.String(), Type.Null()], { description: "The author's display name" }),
      bot: Type.Boolean({ description: 'Whether the account is a bot' }),
      viaToken: Type.Union([Type.String(), Type.Null()], {
        description:
          'The name (when the revision was saved) of the personal API token it was saved through; null when saved in the site',
      }),
      summary: Type.String(),
      changedCues: Type.Integer(),
    }),
    { description: 'Newest first' },
  ),
});

export const ReviewResult = Type.Object({
  approved: Type.Array(Type.String()),
  sentBack: Type.Array(Type.String()),
  refused: Type.Array(
    Type.Object({
      unitId: Type.String(),
      reason: Type.Union([
        Type.Literal('own-translation'),
        Type.Literal('not-awaiting-review'),
        Type.Literal('outdated'),
      ]),
    }),
  ),
});

/** A region or theme, with its name in each language it has one in. */
export const Vocabulary = Type.Object({ slug: Type.String(), names: Type.Record(Type.String(), Type.String()) });

/** A storyteller, as the catalog presents them. */
export const Person = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  homeWiki: Type.String(),
  bios: Type.Record(Type.String(), Type.String()),
});
