/** A source of the current time, passed in so rules stay pure and tests can move time. */
export interface Clock {
  now(): Date;
}
