// Shot changes (cuts) of a video, found by ffmpeg's scene score, and the frame rate they are
// counted in. Standard JavaScript only: the editor bundles it.

/** A cut: the first frame of the new shot, by its time and its number (0 is the first frame). */
export interface ShotChange {
  time: number;
  frame: number;
}

/** What the processing job stores beside the renditions, and the editor receives. */
export interface VideoTimeline {
  frameRate: number;
  /** 'failed': detection did not run to the end, so there are no marks (the video itself is fine). */
  shotDetection: 'done' | 'failed';
  shotChanges: ShotChange[];
  /** 'done': a peaks file lies beside it; 'no-audio': the video has no sound; 'failed': it could not be read. */
  waveform: 'done' | 'no-audio' | 'failed';
}

/** The scene score above which a frame starts a new shot (ffmpeg's scale: 0 same picture, 1 all new). */
export const SCENE_THRESHOLD = 0.3;
/** When ffprobe gives no usable rate. */
export const FALLBACK_FRAME_RATE = 25;

/** A frame rate from ffprobe's fraction ("30000/1001", "25/1"); null when it is missing or absurd. */
export function parseFrameRate(text: string | undefined): number | null {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(text?.trim() ?? '');
  if (!match) return null;
  const rate = Number(match[1]) / Number(match[2] ?? 1);
  return Number.isFinite(rate) && rate >= 1 && rate <= 240 ? rate : null;
}

/**
 * The cuts in the output of ffmpeg's `metadata=print` after `select='gt(scene,T)'`: each selected
 * frame prints `frame:N pts:P pts_time:T` and then its `lavfi.scene_score=S`. Frames are numbered
 * from the time at the video's frame rate (the printed N counts selected frames only). Lines that
 * are not of this shape are skipped; cuts come out in time order, one per frame.
 */
export function parseShotChanges(output: string, frameRate: number): ShotChange[] {
  const frames = new Map<number, ShotChange>();
  for (const line of output.split('\n')) {
    const match = /\bpts_time:(-?\d+(?:\.\d+)?)/.exec(line);
    if (!match) continue;
    const time = Number(match[1]);
    if (!Number.isFinite(time) || time <= 0) continue;
    const frame = Math.round(time * frameRate);
    if (!frames.has(frame)) frames.set(frame, { time: frame / frameRate, frame });
  }
  return [...frames.values()].sort((a, b) => a.frame - b.frame);
}
