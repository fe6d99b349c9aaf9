// In-site notices: what a person is told on the site (their list of notices) when no mail server is
// configured. A notice is a message key with its parameters, so it reads in whatever language the
// person reads the site in.
/** A message for one person on the site (when no mail is sent): a message key and its parameters. */
export interface Notice {
  id: number;
  key: string;
  params: string[];
  cycleId: number | null;
  nominationId: number | null;
  createdAt: Date;
  readAt: Date | null;
}
