import { sql, type Kysely } from 'kysely';
import type { Repositories } from '../src/store/repositories/index.ts';
import type { DB } from '../src/store/schema.ts';
import type { StoryBlock } from '../src/domain/stories/story.ts';
import { prng } from './lib.ts';
import { indexStoryTexts } from '../src/store/repositories/search-index.ts';

// Generated, multilingual stories for the benchmarks: English source texts with translations
// into two to four of Arabic, French, Spanish and Japanese, built from phrase lists so that
// every text differs and search has real words to find.

type Lang = 'en' | 'ar' | 'fr' | 'es' | 'ja';
interface Phrases {
  heads: string[];
  places: string[];
  sentences: string[];
  headings: string[];
  join: string;
  stop: string;
}

const PHRASES: Record<Lang, Phrases> = {
  en: {
    heads: [
      'Wiki clubs',
      'Photo walks',
      'Editing circles',
      'Village ledgers',
      'Radio archives',
      'Library nights',
      'Border workshops',
      'Tide lines',
      'Market voices',
      'Songs of the elders',
      'Maps from memory',
      'The first article',
    ],
    places: [
      'in Kisumu',
      'on the Andean plateau',
      'in Amman',
      'along the coast',
      'in the river towns',
      'in the old quarter',
      'across the valley',
      'in the mountain schools',
      'at the harbour',
      'in Dakar',
    ],
    sentences: [
      'Volunteers gathered every Saturday at the public library to write about their town',
      'The students photographed the old market before it was rebuilt',
      'A retired teacher opened a wiki club for girls who had never edited before',
      'Elders recorded the songs of the harvest in their own language',
      'Nobody had written about the river festival until the club began',
      'Each article started from a notebook kept by the village clerk',
      'The photographs were uploaded with careful descriptions and licences',
      'Translators met online to agree on words for new ideas',
      'The archive of the local radio station held forty years of interviews',
      'Librarians lent their reading room and their patience',
      'A citation bot checked every reference against the ledgers',
      'The contest drew entries from fishermen, nurses and bus drivers',
      'When the power failed they kept writing by lamplight',
      'Their maps showed paths that no satellite had recorded',
      'The workshop taught how to find sources in two scripts',
      'Young editors learned to argue kindly on talk pages',
    ],
    headings: ['How it began', 'What changed', 'The people', 'What comes next', 'Lessons learned'],
    join: ' ',
    stop: '.',
  },
  fr: {
    heads: [
      'Clubs wiki',
      'Promenades photo',
      "Cercles d'édition",
      'Registres de village',
      'Archives radio',
      'Nuits à la bibliothèque',
      'Ateliers frontaliers',
      'Lignes de marée',
      'Voix du marché',
      'Chants des anciens',
    ],
    places: [
      'à Kisumu',
      'sur le plateau andin',
      'à Amman',
      'le long de la côte',
      'dans les villes du fleuve',
      'dans la vieille ville',
      'à travers la vallée',
      'à Dakar',
    ],
    sentences: [
      'Les bénévoles se retrouvaient chaque samedi à la bibliothèque municipale pour écrire sur leur ville',
      'Les élèves ont photographié le vieux marché avant sa reconstruction',
      'Une institutrice à la retraite a ouvert un club wiki pour les filles',
      'Les anciens ont enregistré les chants de la moisson dans leur propre langue',
      'Chaque article partait d’un carnet tenu par le secrétaire du village',
      'Les traducteurs se réunissaient en ligne pour choisir des mots nouveaux',
      'Les archives de la radio locale contenaient quarante ans d’entretiens',
      'Le concours a reçu des photos de pêcheurs, d’infirmières et de chauffeurs',
      'Quand le courant coupait, ils continuaient à écrire à la lampe',
      'L’atelier apprenait à trouver des sources dans deux écritures',
    ],
    headings: ['Les débuts', 'Ce qui a changé', 'Les personnes', 'La suite'],
    join: ' ',
    stop: '.',
  },
  es: {
    heads: [
      'Clubes wiki',
      'Paseos fotográficos',
      'Círculos de edición',
      'Libros del pueblo',
      'Archivos de radio',
      'Noches en la biblioteca',
      'Talleres de frontera',
      'Líneas de marea',
      'Voces del mercado',
      'Canciones de los mayores',
    ],
    places: [
      'en Kisumu',
      'en el altiplano andino',
      'en Amán',
      'a lo largo de la costa',
      'en los pueblos del río',
      'en el casco antiguo',
      'en Dakar',
      'en las escuelas de montaña',
    ],
    sentences: [
      'Los voluntarios se reunían cada sábado en la biblioteca pública para escribir sobre su pueblo',
      'Los estudiantes fotografiaron el viejo mercado antes de su reconstrucción',
      'Una maestra jubilada abrió un club wiki para chicas que nunca habían editado',
      'Los mayores grabaron las canciones de la cosecha en su propia lengua',
      'Cada artículo empezaba con un cuaderno del secretario del pueblo',
      'Los traductores se reunían en línea para acordar palabras nuevas',
      'El archivo de la radio local guardaba cuarenta años de entrevistas',
      'El concurso recibió fotos de pescadores, enfermeras y conductores',
      'Cuando se cortaba la luz seguían escribiendo con lámparas',
      'El taller enseñó a encontrar fuentes en dos alfabetos',
    ],
    headings: ['Cómo empezó', 'Qué cambió', 'Las personas', 'Lo que viene'],
    join: ' ',
    stop: '.',
  },
  ar: {
    heads: [
      'نوادي الويكي',
      'جولات التصوير',
      'حلقات التحرير',
      'سجلات القرية',
      'أرشيف الإذاعة',
      'ليالي المكتبة',
      'ورش الحدود',
      'خطوط المد',
      'أصوات السوق',
      'أغاني الكبار',
    ],
    places: [
      'في كيسومو',
      'في هضبة الأنديز',
      'في عمّان',
      'على طول الساحل',
      'في مدن النهر',
      'في البلدة القديمة',
      'في داكار',
    ],
    sentences: [
      'اجتمع المتطوعون كل سبت في المكتبة العامة للكتابة عن مدينتهم',
      'صوّر الطلاب السوق القديم قبل إعادة بنائه',
      'افتتحت معلمة متقاعدة ناديًا للويكي للفتيات',
      'سجّل الكبار أغاني الحصاد بلغتهم',
      'بدأت كل مقالة من دفتر يحتفظ به كاتب القرية',
      'التقى المترجمون عبر الإنترنت للاتفاق على كلمات جديدة',
      'احتوى أرشيف الإذاعة المحلية على أربعين عامًا من المقابلات',
      'استقبلت المسابقة صورًا من صيادين وممرضات وسائقين',
      'عندما انقطعت الكهرباء واصلوا الكتابة على ضوء المصابيح',
      'علّمت الورشة كيفية العثور على المصادر بخطين',
    ],
    headings: ['كيف بدأ', 'ما الذي تغيّر', 'الناس', 'ما التالي'],
    join: ' ',
    stop: '.',
  },
  ja: {
    heads: [
      'ウィキクラブ',
      '写真散歩',
      '編集サークル',
      '村の帳簿',
      'ラジオのアーカイブ',
      '図書館の夜',
      '国境のワークショップ',
      '潮の線',
      '市場の声',
      '長老たちの歌',
    ],
    places: ['キスムで', 'アンデス高原で', 'アンマンで', '海岸沿いで', '川の町で', '旧市街で', 'ダカールで'],
    sentences: [
      'ボランティアは毎週土曜日に公立図書館に集まり町について書いた',
      '学生たちは建て替えの前に古い市場を撮影した',
      '退職した先生が女の子のためのウィキクラブを開いた',
      '長老たちは収穫の歌を自分たちの言葉で録音した',
      'どの記事も村の書記のノートから始まった',
      '翻訳者たちはオンラインで集まり新しい言葉を決めた',
      '地元ラジオ局のアーカイブには四十年分のインタビューがあった',
      'コンテストには漁師や看護師や運転手から写真が届いた',
      '停電のときもランプの明かりで書き続けた',
      'ワークショップでは二つの文字で出典を探す方法を学んだ',
    ],
    headings: ['始まり', '変わったこと', '人々', 'これから'],
    join: '',
    stop: '。',
  },
};

const REGIONS = [
  { slug: 'africa', names: { en: 'Africa', ar: 'أفريقيا', fr: 'Afrique', es: 'África', ja: 'アフリカ' } },
  {
    slug: 'latin-america',
    names: {
      en: 'Latin America',
      ar: 'أمريكا اللاتينية',
      fr: 'Amérique latine',
      es: 'América Latina',
      ja: 'ラテンアメリカ',
    },
  },
  {
    slug: 'middle-east',
    names: { en: 'Middle East', ar: 'الشرق الأوسط', fr: 'Moyen-Orient', es: 'Oriente Medio', ja: '中東' },
  },
  {
    slug: 'south-asia',
    names: { en: 'South Asia', ar: 'جنوب آسيا', fr: 'Asie du Sud', es: 'Asia del Sur', ja: '南アジア' },
  },
  {
    slug: 'east-asia',
    names: { en: 'East Asia', ar: 'شرق آسيا', fr: 'Asie de l’Est', es: 'Asia Oriental', ja: '東アジア' },
  },
  { slug: 'europe', names: { en: 'Europe', ar: 'أوروبا', fr: 'Europe', es: 'Europa', ja: 'ヨーロッパ' } },
];
const THEMES = [
  { slug: 'education', names: { en: 'Education', fr: 'Éducation', es: 'Educación', ar: 'التعليم', ja: '教育' } },
  { slug: 'heritage', names: { en: 'Heritage', fr: 'Patrimoine', es: 'Patrimonio', ar: 'التراث', ja: '遺産' } },
  { slug: 'languages', names: { en: 'Languages', fr: 'Langues', es: 'Lenguas', ar: 'اللغات', ja: '言語' } },
  {
    slug: 'photography',
    names: { en: 'Photography', fr: 'Photographie', es: 'Fotografía', ar: 'التصوير', ja: '写真' },
  },
  {
    slug: 'gender-gap',
    names: {
      en: 'Gender gap',
      fr: 'Écart de genre',
      es: 'Brecha de género',
      ar: 'الفجوة بين الجنسين',
      ja: 'ジェンダーギャップ',
    },
  },
  { slug: 'tools', names: { en: 'Tools', fr: 'Outils', es: 'Herramientas', ar: 'الأدوات', ja: 'ツール' } },
];
const PEOPLE = [
  'Amani',
  'Lucía',
  'Rania',
  'Kenji',
  'Aïcha',
  'Tomás',
  'Priya',
  'Yusuf',
  'Mei',
  'Olusegun',
  'Camille',
  'Hana',
  'Diego',
  'Leila',
  'Sipho',
  'Ana',
  'Omar',
  'Yuki',
  'Fatou',
  'Mateo',
];

/** Words to search for: stemmed English, French and Spanish words, Arabic, Japanese substrings, a typo. */
export const SEARCH_QUERIES = [
  'library',
  'photographs',
  'teacher',
  'radio archive',
  'harvest songs',
  'bibliothèque',
  'marché',
  'biblioteca',
  'canciones',
  'المكتبة',
  '図書館',
  'ウィキクラブ',
  'libary',
  'translators',
];

export interface GeneratedStory {
  slug: string;
  region: number;
  themes: number[];
  storytellers: number[];
  featured: boolean;
  publishedAt: Date;
  texts: Array<{ language: Lang; title: string; summary: string; blocks: StoryBlock[] }>;
}

export function generateStories(count: number, seed = 1): GeneratedStory[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const some = <T>(list: readonly T[], n: number) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  };
  const sentence = (p: Phrases) => pick(p.sentences) + p.stop;
  const paragraph = (p: Phrases) => Array.from({ length: between(2, 5) }, () => sentence(p)).join(p.join);
  const text = (language: Lang, blocks: number) => {
    const p = PHRASES[language];
    const body: StoryBlock[] = [];
    for (let b = 0; b < blocks; b += 1) {
      const kind = b > 0 && random() < 0.2 ? 'heading' : random() < 0.1 ? 'quote' : 'paragraph';
      body.push({
        type: kind,
        text: kind === 'heading' ? pick(p.headings) : kind === 'quote' ? sentence(p) : paragraph(p),
      });
    }
    return {
      language,
      title: `${pick(p.heads)}${p.join || ''}${pick(p.places)}`,
      summary: `${sentence(p)}${p.join}${sentence(p)}`,
      blocks: body,
    };
  };
  const start = Date.UTC(2023, 0, 1);
  const stories: GeneratedStory[] = [];
  for (let i = 0; i < count; i += 1) {
    const blocks = between(5, 8);
    const en = text('en', blocks);
    const translations = some(['ar', 'fr', 'es', 'ja'] as const, between(2, 4)).map((language) =>
      text(language, blocks),
    );
    const slugBase = en.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    stories.push({
      slug: `${slugBase}-${i + 1}`,
      region: between(0, REGIONS.length - 1),
      themes: some(
        THEMES.map((_, t) => t),
        between(1, 3),
      ),
      storytellers: some(
        PEOPLE.map((_, p) => p),
        between(1, 3),
      ),
      featured: random() < 0.03,
      publishedAt: new Date(start + Math.floor(random() * 3 * 365 * 86_400_000)),
      texts: [en, ...translations],
    });
  }
  return stories;
}

/**
 * Regions, themes, people and the stories, all published, inserted in bulk, and indexed for search
 * by the function the stories repository uses (search-index.ts).
 */
export async function insertStories(
  db: Kysely<DB>,
  repositories: Repositories,
  stories: GeneratedStory[],
): Promise<void> {
  const { catalog } = repositories;
  for (const [position, region] of REGIONS.entries()) await catalog.saveRegion({ ...region, position });
  for (const theme of THEMES) await catalog.saveTheme(theme);
  for (const name of PEOPLE) {
    await catalog.savePerson({
      username: name,
      displayName: `${name} ${name[0]}.`,
      homeWiki: 'www.wikipedia.org',
      bios: { en: `${name} edits and teaches.`, fr: `${name} écrit et enseigne.` },
      photoUrl: null,
    });
  }
  const regionIds = new Map((await catalog.regions()).map((r) => [r.slug, r.id]));
  const themeIds = new Map((await catalog.themes()).map((t) => [t.slug, t.id]));
  const personIds = new Map((await catalog.people()).map((p) => [p.username, p.id]));
  const BATCH = 100;
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < stories.length; from += BATCH) {
      const batch = stories.slice(from, from + BATCH);
      const rows = await trx
        .insertInto('stories')
        .values(
          batch.map((story) => ({
            slug: story.slug,
            region_id: regionIds.get(REGIONS[story.region]!.slug)!,
            source_language: 'en',
            status: 'published' as const,
            featured: story.featured,
            published_at: story.publishedAt,
          })),
        )
        .returning(['id', 'slug'])
        .execute();
      const ids = new Map(rows.map((row) => [row.slug, row.id]));
      await trx
        .insertInto('story_themes')
        .values(
          batch.flatMap((story) =>
            story.themes.map((t) => ({
              story_id: ids.get(story.slug)!,
              theme_id: themeIds.get(THEMES[t]!.slug)!,
            })),
          ),
        )
        .execute();
      await trx
        .insertInto('story_storytellers')
        .values(
          batch.flatMap((story) =>
            story.storytellers.map((p, position) => ({
              story_id: ids.get(story.slug)!,
              person_id: personIds.get(PEOPLE[p]!)!,
              position,
            })),
          ),
        )
        .execute();
      const values = batch.flatMap((story) =>
        story.texts.map(
          (text) => sql`(${ids.get(story.slug)!}::int, ${text.language}::text,
        ${text.title}::text, ${text.summary}::text, ${JSON.stringify(text.blocks)}::jsonb, ${text.blocks.map((b) => b.text).join('\n')}::text)`,
        ),
      );
      await sql`
        INSERT INTO story_texts (story_id, language, title, summary, blocks)
        SELECT v.story_id, v.language, v.title, v.summary, v.blocks
        FROM (VALUES ${sql.join(values)}) AS v(story_id, language, title, summary, blocks, body)`.execute(trx);
      // Search indexes them as the stories repository does when a text is written.
      await indexStoryTexts(
        trx,
        batch.flatMap((story) =>
          story.texts.map((text) => ({
            storyId: ids.get(story.slug)!,
            language: text.language,
            title: text.title,
            summary: text.summary,
            body: text.blocks.map((b) => b.text).join('\n'),
          })),
        ),
      );
    }
  });
  await sql`ANALYZE`.execute(db);
}
