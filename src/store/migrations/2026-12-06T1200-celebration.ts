import { sql, type Kysely } from 'kysely';

// The monthly celebration. A cycle per month with its phase dates and the phase it is in; every move
// of a phase a row of its own (a phase is entered once: UNIQUE (cycle_id, to_phase)). Nominations
// are never deleted: hidden ones keep their reason and who hid them. The same nominee twice in a
// cycle is refused by a unique index, so a second nomination joins the first as a seconding. One
// vote per account per cycle is the database's rule (UNIQUE (cycle_id, user_id)), not only the
// code's. Consent links are stored as hashes only, used once, with an expiry. Notices are the in-site
// messages people get when no mail server is configured.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE celebration_cycles (
      id serial PRIMARY KEY,
      month text NOT NULL UNIQUE CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      opens_at timestamptz NOT NULL,
      seconding_at timestamptz NOT NULL,
      consent_at timestamptz NOT NULL,
      choice_at timestamptz NOT NULL,
      closes_at timestamptz NOT NULL,
      phase text NOT NULL DEFAULT 'upcoming' CHECK (phase IN
        ('upcoming', 'nominations', 'seconding', 'consent', 'choice', 'announced', 'closed', 'cancelled')),
      choice_mode text NOT NULL CHECK (choice_mode IN ('committee', 'community')),
      honoree_nomination_id integer,
      revision integer NOT NULL DEFAULT 1,
      created_by integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (opens_at < seconding_at AND seconding_at < consent_at AND consent_at < choice_at AND choice_at < closes_at)
    );
    -- The cycles the scheduled job looks at.
    CREATE INDEX celebration_cycles_moving ON celebration_cycles (phase)
      WHERE phase NOT IN ('announced', 'closed', 'cancelled');

    CREATE TABLE celebration_committee (
      cycle_id integer NOT NULL REFERENCES celebration_cycles(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (cycle_id, user_id)
    );

    CREATE TABLE celebration_transitions (
      id serial PRIMARY KEY,
      cycle_id integer NOT NULL REFERENCES celebration_cycles(id) ON DELETE CASCADE,
      from_phase text NOT NULL,
      to_phase text NOT NULL,
      how text NOT NULL CHECK (how IN ('schedule', 'editor')),
      user_id integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (cycle_id, to_phase)
    );

    CREATE TABLE nominations (
      id serial PRIMARY KEY,
      cycle_id integer NOT NULL REFERENCES celebration_cycles(id) ON DELETE CASCADE,
      nominee text NOT NULL,
      home_wiki text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('human', 'bot')),
      bot_tasks text,
      region_id integer NOT NULL REFERENCES regions(id),
      category text NOT NULL CHECK (category IN ('newcomer', 'technical', 'media', 'organiser', 'lifetime')),
      reasons text NOT NULL,
      evidence jsonb NOT NULL DEFAULT '[]',
      nominator_id integer REFERENCES users(id) ON DELETE SET NULL,
      state text NOT NULL DEFAULT 'open' CHECK (state IN
        ('open', 'awaiting_consent', 'consented', 'refused', 'hidden', 'withdrawn', 'chosen')),
      revision integer NOT NULL DEFAULT 1,
      hidden_reason text,
      hidden_by integer REFERENCES users(id) ON DELETE SET NULL,
      hidden_at timestamptz,
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (cycle_id, id),
      CHECK ((kind = 'bot') = (bot_tasks IS NOT NULL)),
      CHECK ((state = 'hidden') = (hidden_reason IS NOT NULL))
    );
    CREATE UNIQUE INDEX nominations_nominee ON nominations (cycle_id, lower(nominee), home_wiki);
    CREATE INDEX nominations_cycle ON nominations (cycle_id, state);
    CREATE INDEX nominations_nominator ON nominations (nominator_id);
    ALTER TABLE celebration_cycles ADD CONSTRAINT celebration_cycles_honoree
      FOREIGN KEY (id, honoree_nomination_id) REFERENCES nominations (cycle_id, id);

    CREATE TABLE nomination_operators (
      nomination_id integer NOT NULL REFERENCES nominations(id) ON DELETE CASCADE,
      position integer NOT NULL,
      username text NOT NULL,
      PRIMARY KEY (nomination_id, position)
    );
    CREATE UNIQUE INDEX nomination_operators_name ON nomination_operators (nomination_id, lower(username));
    CREATE INDEX nomination_operators_username ON nomination_operators (lower(username));

    CREATE TABLE nomination_seconds (
      id serial PRIMARY KEY,
      nomination_id integer NOT NULL REFERENCES nominations(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      reason text NOT NULL,
      evidence jsonb NOT NULL DEFAULT '[]',
      -- A second nomination of the same nominee, kept as this seconding.
      from_nomination boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (nomination_id, user_id)
    );

    CREATE TABLE nomination_anecdotes (
      id serial PRIMARY KEY,
      nomination_id integer NOT NULL REFERENCES nominations(id) ON DELETE CASCADE,
      author_id integer REFERENCES users(id) ON DELETE SET NULL,
      body text NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
      moderated_by integer REFERENCES users(id) ON DELETE SET NULL,
      moderated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX nomination_anecdotes_nomination ON nomination_anecdotes (nomination_id, state);

    CREATE TABLE consent_tokens (
      id serial PRIMARY KEY,
      nomination_id integer NOT NULL REFERENCES nominations(id) ON DELETE CASCADE,
      -- SHA-256 of the token (hex): the token itself is only ever in the link sent to the nominee.
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_by integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE celebration_votes (
      id serial PRIMARY KEY,
      cycle_id integer NOT NULL,
      nomination_id integer NOT NULL,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (cycle_id, user_id),
      FOREIGN KEY (cycle_id, nomination_id) REFERENCES nominations (cycle_id, id) ON DELETE CASCADE
    );
    CREATE INDEX celebration_votes_nomination ON celebration_votes (cycle_id, nomination_id);

    CREATE TABLE notices (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- A message key (banana-i18n) and its parameters, shown in the reader's language.
      key text NOT NULL,
      params jsonb NOT NULL DEFAULT '[]',
      cycle_id integer REFERENCES celebration_cycles(id) ON DELETE CASCADE,
      nomination_id integer REFERENCES nominations(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    );
    CREATE INDEX notices_user ON notices (user_id, id DESC);
  `.execute(db);
}
