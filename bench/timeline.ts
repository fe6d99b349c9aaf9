// The editor's timeline files against the video's length: the sound's peaks and the shot changes,
// made by the media tool the processing job uses (ffmpegMediaTool().peaks and .shotChanges), each
// alone and both at once as the job runs them, on generated 1280x720 25 fps clips with motion and
// sound of several lengths. Wall time as × real time, and the peaks file's size. Then the editor's
// timeline in Chromium with 2,000 cues while the video plays: the time between drawn frames.
//
//   node_modules/.bin/node bench/timeline.ts [--json FILE] [--runs N] [--lengths 30,120,300] [--only files,frames]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ffmpegMediaTool } from '../src/providers/media/ffmpeg.ts';
import { runTool } from '../src/providers/media/run.ts';
import { defaultCueSettings, type Cue } from '../src/domain/subtitles/cue.ts';
import { createCatalog, createUser } from '../test/helpers/app.ts';
import { launchBrowser, signInWithForm, startBrowserSite } from '../test/helpers/browser.ts';
import { processVideoJobs } from '../test/helpers/clips.ts';
import { fixed, machine, markdownTable, median, option, percentile, testClipArguments } from './lib.ts';

const RUNS = Number(option('runs') ?? 3);
const LENGTHS = (option('lengths') ?? '30,120,300').split(',').map(Number);
const CLIP = { width: 1280, height: 720, fps: 25 };

export interface TimelineRow {
  seconds: number;
  clipBytes: number;
  peaks: number[];
  shots: number[];
  both: number[];
  peaksBytes: number;
  shotChanges: number;
}
/** Time between animation frames while the video plays, at each zoom of the timeline. */
export interface FrameRow {
  pixelsPerSecond: number;
  visibleCues: number;
  frames: number;
  median: number;
  p95: number;
  longest: number;
}
export interface TimelineResult {
  runs: number;
  clip: typeof CLIP;
  rows: TimelineRow[];
  ffmpeg: string;
  frames?: { cues: number; seconds: number; rows: FrameRow[] };
}
const ONLY = option('only')?.split(',') ?? ['files', 'frames'];
const FRAME_CUES = 2000;
const FRAME_VIDEO_SECONDS = 600;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [(performance.now() - started) / 1000, value];
}

export async function runTimeline(log: (line: string) => void = console.log): Promise<TimelineResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-bench-timeline-'));
  const tool = ffmpegMediaTool();
  const version = (await runTool('ffmpeg', ['-version'])).stdout
    .split('\n')[0]!
    .replace(/^ffmpeg version /, '')
    .replace(/ Copyright.*$/, '');
  const rows: TimelineRow[] = [];
  try {
    for (const seconds of ONLY.includes('files') ? LENGTHS : []) {
      const clip = path.join(dir, `clip-${seconds}.mp4`);
      const made = await runTool('ffmpeg', testClipArguments(clip, { ...CLIP, seconds }));
      if (made.code !== 0) throw new Error(`could not make the ${seconds} s clip: ${made.stderr.slice(-300)}`);
      const row: TimelineRow = {
        seconds,
        clipBytes: statSync(clip).size,
        peaks: [],
        shots: [],
        both: [],
        peaksBytes: 0,
        shotChanges: 0,
      };
      for (let run = 0; run < RUNS; run++) {
        const [peaksTime, peaks] = await timed(() => tool.peaks(clip));
        const [shotsTime, shots] = await timed(() => tool.shotChanges(clip, CLIP.fps));
        const [bothTime] = await timed(() => Promise.all([tool.peaks(clip), tool.shotChanges(clip, CLIP.fps)]));
        row.peaks.push(peaksTime);
        row.shots.push(shotsTime);
        row.both.push(bothTime);
        row.peaksBytes = peaks.length;
        row.shotChanges = shots.length;
        log(
          `${seconds} s clip, run ${run + 1}: peaks ${fixed(peaksTime)} s, shots ${fixed(shotsTime)} s, both ${fixed(bothTime)} s`,
        );
      }
      rows.push(row);
      rmSync(clip, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const frames = ONLY.includes('frames') ? await measureFrames(log) : undefined;
  return { runs: RUNS, clip: CLIP, rows, ffmpeg: version, ...(frames && { frames }) };
}

/**
 * The editor with 2,000 cues on a 10-minute video, playing: the intervals between animation frames
 * over 3 s at each zoom (the timeline redraws on every one), from requestAnimationFrame in the page.
 */
async function measureFrames(log: (line: string) => void): Promise<TimelineResult['frames']> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storyhub-bench-frames-'));
  const [web, browser] = await Promise.all([startBrowserSite('embedded'), launchBrowser()]);
  try {
    const { services } = web.site;
    const { stories } = await createCatalog(services, [
      { slug: 'long-story', texts: { en: { title: 'A long story' } }, status: 'published' },
    ]);
    const storyId = stories[0]!.id;
    const user = await createUser(services, 'bench-editor', [{ role: 'editor' }]);
    const clip = path.join(dir, 'long.mp4');
    const made = await runTool(
      'ffmpeg',
      testClipArguments(clip, { width: 320, height: 180, fps: 25, seconds: FRAME_VIDEO_SECONDS }),
    );
    if (made.code !== 0) throw new Error(`could not make the clip: ${made.stderr.slice(-300)}`);
    const { createReadStream } = await import('node:fs');
    await services.video.upload(storyId, createReadStream(clip), 'long.mp4');
    await processVideoJobs(services, [storyId]);
    const step = FRAME_VIDEO_SECONDS / FRAME_CUES;
    const cues: Cue[] = Array.from({ length: FRAME_CUES }, (_, i) => ({
      id: '',
      startTime: Math.round(i * step * 1000) / 1000,
      endTime: Math.round((i * step + step * 0.8) * 1000) / 1000,
      text: `Cue ${i + 1}: a line of about forty characters`,
      settings: defaultCueSettings(),
    }));
    await services.subtitles.save({ storyId, language: 'en', baseRevision: 0, cues, userId: user.id });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInWithForm(page, web.baseUrl, 'bench-editor');
    await page.goto(web.url('/en/edit/stories/long-story/subtitles/en/edit'));
    await page
      .locator('.subtitle-cue')
      .nth(FRAME_CUES - 1)
      .waitFor({ timeout: 120_000 });
    const canvas = page.locator('.subtitle-timeline__canvas');
    const rows: FrameRow[] = [];
    const zoomIn = page.getByRole('button', { name: 'Zoom in' });
    while (!(await zoomIn.isDisabled())) await zoomIn.click();
    for (;;) {
      const pixelsPerSecond = Number(await canvas.getAttribute('data-pixels-per-second'));
      const width = (await canvas.boundingBox())!.width;
      const intervals = await page.evaluate(async () => {
        const video = document.querySelector<HTMLVideoElement>('.subtitle-editor__video')!;
        video.muted = true;
        video.currentTime = 60;
        await video.play();
        const times: number[] = [];
        await new Promise<void>((resolve) => {
          const tick = (now: number) => {
            times.push(now);
            if (now - times[0]! < 3000) requestAnimationFrame(tick);
            else resolve();
          };
          requestAnimationFrame(tick);
        });
        video.pause();
        return times.slice(1).map((time, i) => time - times[i]!);
      });
      const row: FrameRow = {
        pixelsPerSecond,
        visibleCues: Math.round((width / pixelsPerSecond / FRAME_VIDEO_SECONDS) * FRAME_CUES),
        frames: intervals.length,
        median: median(intervals),
        p95: percentile(intervals, 95),
        longest: Math.max(...intervals),
      };
      rows.push(row);
      log(`${pixelsPerSecond} px/s: frame every ${fixed(row.median, 1)} ms (p95 ${fixed(row.p95, 1)} ms)`);
      const zoomOut = page.getByRole('button', { name: 'Zoom out' });
      if (await zoomOut.isDisabled()) break;
      await zoomOut.click();
    }
    return { cues: FRAME_CUES, seconds: FRAME_VIDEO_SECONDS, rows };
  } finally {
    await browser.close();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function timelineMarkdown(result: TimelineResult): string {
  const realTime = (seconds: number, times: number[]) =>
    `${fixed(median(times), 2)} s (${fixed(seconds / median(times), 0)}×)`;
  return markdownTable(
    [
      'video length',
      'peaks alone',
      'shot changes alone',
      'both at once (as the job)',
      'peaks file',
      'shot changes found',
    ],
    result.rows.map((row) => [
      `${row.seconds} s`,
      realTime(row.seconds, row.peaks),
      realTime(row.seconds, row.shots),
      realTime(row.seconds, row.both),
      `${fixed(row.peaksBytes / 1024, 1)} KiB`,
      row.shotChanges,
    ]),
  );
}

export function framesMarkdown(frames: NonNullable<TimelineResult['frames']>): string {
  return markdownTable(
    ['zoom', 'cues in view', 'frames in 3 s', 'median frame interval', 'p95', 'longest'],
    frames.rows.map((row) => [
      `${row.pixelsPerSecond} px/s`,
      row.visibleCues,
      row.frames,
      `${fixed(row.median, 1)} ms`,
      `${fixed(row.p95, 1)} ms`,
      `${fixed(row.longest, 1)} ms`,
    ]),
  );
}

export function timelineReading(result: TimelineResult): string {
  const framesText = result.frames
    ? ` With ${result.frames.cues.toLocaleString('en')} cues on a ${result.frames.seconds / 60}-minute video, playing, the page keeps a median frame interval of ${fixed(Math.max(...result.frames.rows.map((row) => row.median)), 1)} ms at the worst zoom (the widest view draws the most cues): the timeline draws only the cues in view, found by a binary search, and the cue list does not render again on every frame.`
    : '';
  const longest = result.rows.at(-1);
  if (!longest) return framesText.trim() || 'No result.';
  const both = median(longest.both);
  const perTenMinutes = (longest.peaksBytes / longest.seconds) * 600;
  return `A ${longest.seconds} s video gets its timeline files in ${fixed(both, 1)} s, ${fixed(longest.seconds / both, 0)}× real time, added to the processing job after its renditions; the shot detection (decoding every frame of the video, scaled to 160 pixels before the scene score) is nearly all of it, the peaks (the sound alone, decoded at 8 kHz mono) a small part. The machine was shared (see the load average), so the times are inflated and vary from run to run. The peaks file takes ${fixed(perTenMinutes / 1024, 0)} KiB for ten minutes of video (four zoom levels of one signed byte per minimum and maximum; 50 windows a second at the finest). testsrc2 has no cuts, so no shot changes are found: the cost of the detection does not depend on how many there are.${framesText}`;
}

export function timelineSection(
  outcome: { result?: unknown; failure?: string; loadAfter: number[] },
  date: string,
): string {
  const result = outcome.result as TimelineResult | undefined;
  const host = machine();
  return `## Waveform peaks and shot changes (bench/timeline.ts)

- Command: \`npm run bench -- --only timeline\` (alone: \`node_modules/.bin/node bench/timeline.ts [--runs N] [--lengths 30,120,300]\`; needs ffmpeg)
- Date: ${date}
- Machine: ${host.cores} cores, ${host.cpu}, ${host.memoryGiB} GiB, ${host.platform}; Node ${host.node}. Shared with other people's tests during the run.
- Method: ${result ? `clips of ${result.rows.map((row) => `${row.seconds} s`).join(', ')} at ${result.clip.width}x${result.clip.height} ${result.clip.fps} fps (ffmpeg's testsrc2 pattern, which moves, and a 440 Hz tone; H.264 ultrafast + AAC, as bench/media.ts makes them), each through ffmpegMediaTool().peaks() and .shotChanges() alone, then both at once as the processing job runs them; ${result.runs} runs, wall-clock medians; × real time is the clip's length over that time. ffmpeg ${result.ffmpeg}.` : 'not run.'}
- Load average (1 / 5 / 15 min) after: ${outcome.loadAfter.map((l) => l.toFixed(1)).join(' / ')}

${outcome.failure ? `_${outcome.failure}._\n\n` : ''}${result?.rows.length ? timelineMarkdown(result) : ''}
${result?.frames ? `\n### The timeline with ${result.frames.cues.toLocaleString('en')} cues while playing\n\nThe editor page in Chromium (headless, as the browser tests run it) with ${result.frames.cues.toLocaleString('en')} cues over a ${result.frames.seconds / 60}-minute 320x180 video, playing muted from 1:00; requestAnimationFrame's intervals over 3 s at each zoom, from the closest to the widest.\n\n${framesMarkdown(result.frames)}\n` : ''}
**Reading.** ${result ? timelineReading(result) : 'No result.'}
`;
}

if (import.meta.main) {
  const json = option('json');
  const result = await runTimeline();
  console.log(`\n${timelineMarkdown(result)}\n\n${timelineReading(result)}`);
  if (result.frames) console.log(framesMarkdown(result.frames));
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
}
