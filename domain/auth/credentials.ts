/** Username: 3–20 characters of letters, digits and underscore; unique without regard to case. */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,20}$/;
export const PASSWORD_MIN_LENGTH = 8;
/** argon2 works on bytes; a bound keeps hashing cost predictable. */
export const PASSWORD_MAX_LENGTH = 128;

/** The case-insensitive key a username is unique by. */
export function toUsernameKey(username: string): string {
  return username.toLowerCase();
}
