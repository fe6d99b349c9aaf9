import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { GrantableRole, RoleGrant } from '../../domain/access/authorize.ts';
import type { DB } from '../schema.ts';
import type { ChangeFeed } from '../../domain/changes.ts';
import type { User, UserWithGrants } from '../../domain/access/users.ts';

/** Accounts and their roles; a change of roles is announced, so every process's cache of who is signed in drops the account. */
export function usersRepository(db: Kysely<DB>, changes: ChangeFeed) {
  const columns = ['id', 'username', 'display_name', 'created_at', 'is_bot'] as const;
  const toUser = (row: {
    id: number;
    username: string;
    display_name: string;
    created_at: Date;
    is_bot: boolean;
  }): User => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    createdAt: row.created_at,
    isBot: row.is_bot,
  });
  return {
    async create(input: {
      username: string;
      displayName: string;
      passwordHash: string;
      language?: string;
      email?: string | null;
      isBot?: boolean;
    }): Promise<User | null> {
      const row = await db
        .insertInto('users')
        .values({
          username: input.username,
          display_name: input.displayName,
          password_hash: input.passwordHash,
          ...(input.language ? { language: input.language } : {}),
          ...(input.email ? { email: input.email } : {}),
          ...(input.isBot ? { is_bot: true } : {}),
        })
        .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
        .returning(columns)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async findCredentials(username: string): Promise<(User & { passwordHash: string | null }) | undefined> {
      const row = await db
        .selectFrom('users')
        .select([...columns, 'password_hash'])
        .where(sql`lower(username)`, '=', username.toLowerCase())
        .executeTakeFirst();
      return row && { ...toUser(row), passwordHash: row.password_hash };
    },
    /** A user with their roles, in one query (it runs on every signed-in request). */
    async findById(id: number): Promise<UserWithGrants | undefined> {
      const row = await db
        .selectFrom('users')
        .select((eb) => [
          ...columns,
          jsonArrayFrom(
            eb
              .selectFrom('role_grants')
              .select(['role', 'language'])
              .whereRef('role_grants.user_id', '=', 'users.id')
              .orderBy('role')
              .orderBy('language'),
          ).as('grants'),
        ])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { ...toUser(row), grants: row.grants };
    },
    async findByUsername(username: string): Promise<UserWithGrants | undefined> {
      const found = await this.findCredentials(username);
      return found && this.findById(found.id);
    },
    async list(): Promise<UserWithGrants[]> {
      const users = await db
        .selectFrom('users')
        .select(columns)
        .orderBy(sql`lower(username)`)
        .execute();
      const grants = await db
        .selectFrom('role_grants')
        .select(['user_id', 'role', 'language'])
        .orderBy('role')
        .orderBy('language')
        .execute();
      return users.map((row) => ({
        ...toUser(row),
        grants: grants.filter((g) => g.user_id === row.id).map(({ role, language }) => ({ role, language })),
      }));
    },
    async count(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async grant(userId: number, role: GrantableRole, language: string | null, grantedBy: number | null): Promise<void> {
      await db
        .insertInto('role_grants')
        .values({ user_id: userId, role, language, granted_by: grantedBy })
        .onConflict((oc) => oc.expression(sql`user_id, role, coalesce(language, '*')`).doNothing())
        .execute();
      changes.announce({ account: userId });
    },
    /** Marks an account as a bot or as a person; false when there is no such account. */
    async setBot(userId: number, isBot: boolean): Promise<boolean> {
      const result = await db.updateTable('users').set({ is_bot: isBot }).where('id', '=', userId).executeTakeFirst();
      // Public pages credit people by name, with a bot's label: they and the account both change.
      changes.announce({ everything: true });
      return result.numUpdatedRows > 0n;
    },
    async revoke(userId: number, role: GrantableRole, language: string | null): Promise<void> {
      await db
        .deleteFrom('role_grants')
        .where('user_id', '=', userId)
        .where('role', '=', role)
        .where(sql`coalesce(language, '*')`, '=', language ?? '*')
        .execute();
      changes.announce({ account: userId });
    },
  };
}
export type UsersRepository = ReturnType<typeof usersRepository>;
