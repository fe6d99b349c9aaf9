// Subtitle cues as the browser's VTTCue and VTTRegion describe them, and the problems a reader
// reports. Times are seconds (floats, millisecond precision); percentages are numbers 0–100.

/** Where and how a cue is shown: the fields of the browser's VTTCue, named as in the WebVTT spec. */
export interface CueSettings {
  vertical: '' | 'rl' | 'lr';
  line: number | 'auto';
  snapToLines: boolean;
  lineAlign: 'start' | 'center' | 'end';
  position: number | 'auto';
  positionAlign: 'line-left' | 'center' | 'line-right' | 'auto';
  size: number;
  align: 'start' | 'center' | 'end' | 'left' | 'right';
  /** The id of the cue's region, or '' for none. */
  region: string;
}

/** One timed piece of text; `text` is the raw cue text (tags such as <i> are kept as written). */
export interface Cue {
  id: string;
  startTime: number;
  endTime: number;
  text: string;
  settings: CueSettings;
}

/** A WebVTT region: the fields of the browser's VTTRegion (width and anchors in percent). */
export interface VTTRegion {
  id: string;
  width: number;
  lines: number;
  regionAnchorX: number;
  regionAnchorY: number;
  viewportAnchorX: number;
  viewportAnchorY: number;
  scroll: '' | 'up';
}

// Errors mean something was lost (a cue, or the whole file); warnings mean the reader recovered.

/** The stable codes of SubtitleProblem.code. */
export type SubtitleProblemCode =
  | 'invalid_encoding'
  | 'missing_signature'
  | 'bad_timestamp'
  | 'missing_arrow'
  | 'missing_timing'
  | 'end_before_start'
  | 'cue_out_of_order'
  | 'empty_cue'
  | 'no_cues'
  | 'duplicate_id'
  | 'missing_blank_line'
  | 'unknown_setting'
  | 'bad_setting_value'
  | 'unknown_region'
  | 'missing_region_id'
  | 'misplaced_block'
  | 'bad_index'
  | 'nonstandard_timestamp'
  | 'unknown_section'
  | 'bad_event'
  | 'bad_format_line'
  | 'missing_format_line'
  | 'missing_field'
  | 'missing_events'
  | 'malformed_xml'
  | 'missing_tt'
  | 'bad_time_expression'
  | 'missing_begin_end'
  | 'misplaced_paragraph';

/** Something wrong in a subtitle file at a 1-based line and column (columns count UTF-16 code units). */
export interface SubtitleProblem {
  /** 0 when the problem is with a cue as a whole, named by `cue` instead. */
  line: number;
  column: number;
  /** The 1-based number of the cue a problem without a line is about. */
  cue?: number;
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

/** The subtitle formats storyhub reads (all) and writes (all but SSA/ASS). */
export type SubtitleFormat = 'vtt' | 'srt' | 'sbv' | 'ttml' | 'ass';

/** The formats storyhub writes. */
export type WritableSubtitleFormat = Exclude<SubtitleFormat, 'ass'>;

/** What a reader found: the cues it kept and every problem, ordered by position in the file. */
export interface ParseResult {
  format: SubtitleFormat;
  cues: Cue[];
  problems: SubtitleProblem[];
  /** WebVTT only: the REGION blocks, in file order. */
  regions?: VTTRegion[];
  /** WebVTT only: the CSS of each STYLE block, in file order. */
  styles?: string[];
}

/** The settings of a cue that states none: what the WebVTT parser starts every cue with. */
export function defaultCueSettings(): CueSettings {
  return {
    vertical: '',
    line: 'auto',
    snapToLines: true,
    lineAlign: 'start',
    position: 'auto',
    positionAlign: 'auto',
    size: 100,
    align: 'center',
    region: '',
  };
}

/** A region that states nothing but its id: the WebVTT parser's defaults for the rest. */
export function defaultRegion(id = ''): VTTRegion {
  return {
    id,
    width: 100,
    lines: 3,
    regionAnchorX: 0,
    regionAnchorY: 100,
    viewportAnchorX: 0,
    viewportAnchorY: 100,
    scroll: '',
  };
}
