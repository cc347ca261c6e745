/**
 * The MediaStore reference deployment: an HTTPS backend API and a separate web frontend that wire every
 * module together (ACL checks, Argon2id logins, download and view tokens, private storage, encrypted HLS).
 * It is the sample a new user runs first, and it is never published as a library.
 */
package io.mediastore.samples.server;
