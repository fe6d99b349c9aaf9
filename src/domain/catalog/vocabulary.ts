// Regions, themes and people: the small vocabularies stories are filed under.
export type LocalizedNames = Record<string, string>;

// Regions, themes and people: the small vocabularies stories are filed under.
export interface Region {
  id: number;
  slug: string;
  names: LocalizedNames;
  position: number;
}

/**
 * Each region's place in the order regions were made (by id, from 0): what its tile colour follows,
 * so regions made together get different colours and a new region changes no other's.
 */
export function regionSerials(regions: readonly Pick<Region, 'id'>[]): Map<number, number> {
  const ids = regions.map((region) => region.id).sort((a, b) => a - b);
  return new Map(ids.map((id, serial) => [id, serial]));
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
