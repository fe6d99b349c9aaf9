// Regions, themes and people: the small vocabularies stories are filed under.
export type LocalizedNames = Record<string, string>;

// Regions, themes and people: the small vocabularies stories are filed under.
export interface Region {
  id: number;
  slug: string;
  names: LocalizedNames;
  position: number;
}

export interface Theme {
  id: number;
  slug: string;
  names: LocalizedNames;
}

export interface Person {
  id: number;
  username: string;
  displayName: string;
  homeWiki: string;
  bios: LocalizedNames;
  photoUrl: string | null;
}

export type PersonInput = Omit<Person, 'id'>;
