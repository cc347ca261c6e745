/**
 * Password storage for MediaStore: Argon2id digests in PHC string format with an optional rotating pepper, re-hash on login, and migration from legacy bcrypt, PBKDF2 and scrypt digests.
 * It also owns the memory budget of hashing, so a burst of logins waits or is refused instead of exhausting the heap.
 */
package io.mediastore.passwords;
