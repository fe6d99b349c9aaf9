export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: number;
  kind: string;
  payload: unknown;
  state: JobState;
  progress: number;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  runAfter: Date;
  lockedBy: string | null;
  lockedAt: Date | null;
  storyId: number | null;
  createdAt: Date;
  updatedAt: Date;
}
