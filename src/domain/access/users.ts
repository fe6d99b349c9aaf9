import type { RoleGrant } from './authorize.ts';

export interface User {
  id: number;
  username: string;
  displayName: string;
  createdAt: Date;
  /** A bot account: its work is labelled as a bot's wherever its name is shown (its roles are granted as anyone's). */
  isBot: boolean;
}

export interface UserWithGrants extends User {
  grants: RoleGrant[];
}
