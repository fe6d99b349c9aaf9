import type { RoleGrant } from './authorize.ts';

export interface User {
  id: number;
  username: string;
  displayName: string;
  createdAt: Date;
}

export interface UserWithGrants extends User {
  grants: RoleGrant[];
}
