import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  announcementSlug,
  announcementText,
  monthLabel,
  validatePhotoCredit,
  type PhotoCreditForm,
} from '../domain/celebration/announcement.ts';
import type { Category, NomineeKind } from '../domain/celebration/nomination.ts';
import type { FieldErrors } from '../domain/forms/fields.ts';
import { SOURCE_LANGUAGE } from '../domain/languages/languages.ts';
import { IMAGE_EXTENSIONS, IMAGE_TYPES, sniffImage } from '../domain/media/image.ts';
import { validateStoryForm } from '../domain/stories/story-form.ts';
import { notAnImage, notAnnounced, notFound } from '../errors.ts';
import type { FileStorage } from '../providers/storage/storage.ts';
import type { HonoreePhoto } from '../store/repositories/celebration-announcements.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { requireAction, type Actor } from './celebration-nominations.ts';
import type { Messages } from './messages.ts';

/** The theme every honoree's story is filed under (created, named from the messages, when missing). */
export const CELEBRATION_THEME = 'celebration';
/** The largest honoree photo taken, in bytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** A cycle's honoree story, and whether this call made it. */
export interface Announcement {
  cycleId: number;
  storyId: number;
  slug: string;
  created: boolean;
}

/** An honoree in the archive, with the story that announces it (null until it is published). */
export interface ArchiveEntry {
  month: string;
  nominationId: number;
  nominee: string;
  homeWiki: string;
  kind: NomineeKind;
  operators: string[];
  category: Category;
  regionId: number;
  story: { slug: string; title: string; language: string } | null;
}

/** Reads the first `bytes` of a stream and gives them with a stream that still yields everything. */
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; whole: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, whole: Readable.from(all()) };
}

/**
 * The celebration's announcement: the honoree's page published as a story in the "celebration"
 * theme (so it is translated unit by unit, searched, featured and fed like any story), its photo
 * with licence and attribution, and the archive of honorees. Announcing is idempotent: a cycle
 * keeps one story, however often (or by however many workers at once) it is announced.
 */
export function announcementService(deps: {
  repositories: Repositories;
  messages: Messages;
  storage: FileStorage;
  maxPhotoBytes?: number;
}) {
  const { repositories, messages, storage } = deps;
  const {
    celebrations,
    nominations,
    celebrationAnnouncements: announcements,
    catalog,
    stories,
    languages,
  } = repositories;
  const maxPhotoBytes = deps.maxPhotoBytes ?? MAX_PHOTO_BYTES;

  /** The celebration theme's id, adding it (named in every language the messages have) when missing. */
  async function celebrationTheme(): Promise<number> {
    const find = async () => (await catalog.themes()).find((theme) => theme.slug === CELEBRATION_THEME);
    const existing = await find();
    if (existing) return existing.id;
    const names: Record<string, string> = {};
    for (const language of await languages.list()) {
      const name = messages.forLanguage(language.code)('celebration-theme-name');
      // A language without the message falls back to English; keep only the names really written.
      if (language.code === SOURCE_LANGUAGE || name !== messages.forLanguage(SOURCE_LANGUAGE)('celebration-theme-name'))
        names[language.code] = name;
    }
    await catalog.saveTheme({ slug: CELEBRATION_THEME, names });
    return (await find())!.id;
  }

  /** Makes (or finds, after a crash) the honoree's published story for an announced cycle. */
  async function announceCycle(cycleId: number): Promise<Announcement> {
    const cycle = await celebrations.cycle(cycleId);
    if (!cycle) throw notFound('cycle');
    if (cycle.phase !== 'announced' || cycle.honoreeNominationId === null) throw notAnnounced();
    const slug = announcementSlug(cycle.month);
    const kept = await announcements.storyOf(cycleId);
    const keptStory = kept === null ? undefined : await stories.findById(kept);
    if (keptStory) return { cycleId, storyId: keptStory.id, slug: keptStory.slug, created: false };

    let story = await stories.findBySlug(slug);
    let created = false;
    if (!story) {
      const nomination = (await nominations.find(cycle.honoreeNominationId))!;
      const [seconds, anecdotes, themeId, regions] = await Promise.all([
        nominations.seconds(nomination.id),
        nominations.anecdotes(nomination.id, ['approved']),
        celebrationTheme(),
        catalog.regions(),
      ]);
      const t = messages.forLanguage(SOURCE_LANGUAGE);
      const text = announcementText(
        { month: cycle.month, nomination, seconds, anecdotes },
        t,
        monthLabel(cycle.month, SOURCE_LANGUAGE),
      );
      const checked = validateStoryForm(
        {
          slug,
          region: String(nomination.regionId),
          sourceLanguage: SOURCE_LANGUAGE,
          featured: 'on',
          themes: [String(themeId)],
          storytellers: [],
          ...text,
          revision: '0',
        },
        {
          regionIds: new Set(regions.map((region) => region.id)),
          themeIds: new Set([themeId]),
          personIds: new Set(),
          languages: new Set([SOURCE_LANGUAGE]),
        },
      );
      if ('errors' in checked)
        throw new Error(`The honoree story of ${cycle.month} is not valid: ${JSON.stringify(checked)}`);
      story = (await stories.create(checked.input, null)) ?? (await stories.findBySlug(slug));
      created = true;
    }
    if (!story) throw new Error(`The honoree story ${slug} could not be made`);
    if (story.status !== 'published') {
      const published = await stories.setStatus(story.id, story.revision, 'published', null);
      if (published?.ok) story = published.story;
    }
    const storyId = (await announcements.setStory(cycleId, story.id)) ?? story.id;
    return { cycleId, storyId, slug: story.slug, created };
  }

  return {
    /** Publishes the honoree's story of an announced cycle (editors; the phase job does it by itself). */
    async announce(actor: Actor | 'system', cycleId: number): Promise<Announcement> {
      if (actor !== 'system') requireAction(actor, 'celebration.manage');
      return announceCycle(cycleId);
    },

    /** Announces every announced cycle that has no story yet; what it made. For the phase job, after its moves. */
    async announceMissing(): Promise<Announcement[]> {
      const made: Announcement[] = [];
      for (const cycleId of await announcements.announcedWithoutStory()) made.push(await announceCycle(cycleId));
      return made;
    },

    /**
     * Keeps the honoree's photo (editors): JPEG, PNG or WebP by its bytes, at most `maxPhotoBytes`,
     * with its licence and attribution; it becomes the honoree story's picture. The form's problems,
     * or the photo kept. Refused before the honoree is announced (the photo belongs to the story).
     */
    async savePhoto(
      actor: Actor,
      cycleId: number,
      upload: Readable,
      form: PhotoCreditForm,
    ): Promise<{ ok: true; photo: HonoreePhoto } | { ok: false; errors: FieldErrors }> {
      requireAction(actor, 'celebration.manage');
      const credit = validatePhotoCredit(form);
      if ('errors' in credit) {
        upload.resume();
        return { ok: false, errors: credit.errors };
      }
      let storyId: number;
      try {
        ({ storyId } = await announceCycle(cycleId));
      } catch (error) {
        upload.resume();
        throw error;
      }
      const { head, whole } = await peek(upload, 64 * 1024);
      const image = sniffImage(head);
      if (!image) {
        whole.resume();
        throw notAnImage(IMAGE_TYPES);
      }
      const storageKey = `stories/${storyId}/${cycleId}-${Date.now()}${randomBytes(2).readUInt16BE()}/photo.${IMAGE_EXTENSIONS[image.type]}`;
      const { bytes } = await storage.put(storageKey, whole, { maxBytes: maxPhotoBytes });
      const previous = await announcements.savePhoto({
        cycleId,
        storyId,
        storageKey,
        mime: image.type,
        width: image.width,
        height: image.height,
        bytes,
        ...credit.credit,
        uploadedBy: actor.id,
      });
      if (previous && previous !== storageKey) await storage.remove(previous);
      return { ok: true, photo: (await announcements.photo(cycleId))! };
    },

    photo: (cycleId: number) => announcements.photo(cycleId),
    /** The story announcing a cycle's honoree, once there is one. */
    async honoreeStory(cycleId: number): Promise<{ id: number; slug: string } | null> {
      const storyId = await announcements.storyOf(cycleId);
      const story = storyId === null ? undefined : await stories.findById(storyId);
      return story ? { id: story.id, slug: story.slug } : null;
    },
    /** The honoree photo a story's page shows, when the story announces a cycle. */
    photoOfStory: (storyId: number) => announcements.photoOfStory(storyId),

    /**
     * Every honoree by month, the latest first, filtered; each with its story's title in the first
     * language of `chain` it is published in (the story's own language last).
     */
    async archive(
      chain: readonly string[],
      filter: { regionId?: number; category?: Category; kind?: NomineeKind } = {},
    ): Promise<ArchiveEntry[]> {
      const honorees = await announcements.archive(filter);
      const storyIds = honorees.flatMap((honoree) => (honoree.story ? [honoree.story.id] : []));
      const texts = await stories.texts(storyIds, [...new Set([...chain, SOURCE_LANGUAGE])]);
      return honorees.map(({ month, nomination, story }) => {
        const text = story
          ? [...chain, SOURCE_LANGUAGE]
              .map((language) => texts.find((each) => each.storyId === story.id && each.language === language))
              .find((each) => each !== undefined)
          : undefined;
        return {
          month,
          nominationId: nomination.id,
          nominee: nomination.nominee,
          homeWiki: nomination.homeWiki,
          kind: nomination.kind,
          operators: nomination.operators,
          category: nomination.category,
          regionId: nomination.regionId,
          story: story && text ? { slug: story.slug, title: text.title, language: text.language } : null,
        };
      });
    },
  };
}
export type AnnouncementService = ReturnType<typeof announcementService>;
